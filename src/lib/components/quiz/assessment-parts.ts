// What only a graded assessment shows once taken (navigation, result, corrections): loaded with an
// assessment, never with a formative check.
export { default as AssessmentNav } from './AssessmentNav.svelte';
export { default as AssessmentResult } from './AssessmentResult.svelte';
export { default as ReviewItem } from './ReviewItem.svelte';
