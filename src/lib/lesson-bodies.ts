import type { Component } from 'svelte';

// Every lesson body, one chunk each. This map grows with the courses, so it lives in its own
// module, loaded after the page is on screen rather than preloaded with the lesson route.
export const bodies = import.meta.glob<{ default: Component }>('/courses/*/lessons/*.svx');
