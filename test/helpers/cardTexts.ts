import type { CardElement } from '../../cards/adaptiveCard';

/** Every TextBlock text in card elements, in order, walking containers and columns. */
export function cardTexts(elements: CardElement[]): string[] {
  return elements.flatMap((element) => {
    switch (element.type) {
      case 'TextBlock':
        return [element.text];
      case 'Container':
        return cardTexts(element.items);
      case 'ColumnSet':
        return element.columns.flatMap((column) => cardTexts(column.items));
      default:
        return [];
    }
  });
}
