import { createContext, useContext, type ComponentType, type ReactNode } from 'react';

/**
 * Panels of one feature shown on another feature's screens. A feature may not import another feature (see
 * eslint.config.js), so the screen asks for the panel by name here and app/App.tsx provides the real one. Without a
 * provider (a component test) every slot renders nothing, or just its children.
 */
export interface Slots {
  /** The metadata feature's panel of a character's or scene's metadata file (catalog's character and scene pages). */
  MetadataPanel: ComponentType<{ entity: 'character' | 'scene'; id: number; projectId?: number }>;
  /** The provenance feature's staleness report of a project, loaded once for every marker below it. */
  StaleSegmentsProvider: ComponentType<{ projectId: number; children: ReactNode }>;
  /** A "stale" badge on a segment whose receipt used a superseded asset (provenance). */
  StaleMarker: ComponentType<{ segmentId: number }>;
  /** On a take made by regeneration: which segment it replaces (provenance). */
  DraftNote: ComponentType<{ segmentId: number }>;
}

const NONE: Slots = {
  MetadataPanel: () => null,
  StaleSegmentsProvider: ({ children }) => <>{children}</>,
  StaleMarker: () => null,
  DraftNote: () => null,
};

const SlotsContext = createContext<Slots>(NONE);

export function SlotsProvider({ slots, children }: { slots: Partial<Slots>; children: ReactNode }) {
  return <SlotsContext.Provider value={{ ...NONE, ...slots }}>{children}</SlotsContext.Provider>;
}

/** The component app/ put in slot `name` (nothing when no provider is above). */
export function useSlot<K extends keyof Slots>(name: K): Slots[K] {
  return useContext(SlotsContext)[name];
}
