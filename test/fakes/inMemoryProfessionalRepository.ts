import { ProfessionalRepository } from '../../services/professionals/professionalRepository';
import { Professional, ProfessionalNotFoundError } from '../../services/professionals/professional';

/** Professionals in a Map; atomic updates; callers get copies. */
export class InMemoryProfessionalRepository implements ProfessionalRepository {
  readonly professionals = new Map<string, Professional>();

  async get(id: string): Promise<Professional | undefined> {
    await tick();
    const found = this.professionals.get(id);
    return found ? structuredClone(found) : undefined;
  }

  async create(professional: Professional): Promise<void> {
    await tick();
    if (this.professionals.has(professional.id)) throw new Error(`professional ${professional.id} exists already`);
    this.professionals.set(professional.id, structuredClone(professional));
  }

  async update(id: string, change: (current: Professional) => Professional): Promise<Professional> {
    await tick();
    const current = this.professionals.get(id);
    if (!current) throw new ProfessionalNotFoundError(id);
    const next = change(structuredClone(current));
    this.professionals.set(id, structuredClone(next));
    return structuredClone(next);
  }

  async findByAccessSecretHash(hash: string): Promise<Professional | undefined> {
    return (await this.list()).find((p) => p.accessSecretHash === hash);
  }

  async findByAadObjectId(aadObjectId: string): Promise<Professional | undefined> {
    return (await this.list()).find((p) => p.teams?.aadObjectId === aadObjectId);
  }

  async list(): Promise<Professional[]> {
    await tick();
    return [...this.professionals.values()].map((p) => structuredClone(p));
  }
}

function tick(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
