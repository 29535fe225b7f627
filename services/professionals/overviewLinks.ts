/**
 * @packageDocumentation
 * The port through which chat messages get a link to the professional's tab ("Overzicht"); the
 * server implements it (a short-lived, single-use `/tab?link=` on the web, the static tab's deep
 * link in Teams). `null` means there is nothing to link to, and no button is shown.
 */

export type OverviewLinkIssuer = (professionalId: string, channelId: string) => Promise<string | null>;
