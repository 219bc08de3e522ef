/**
 * State of the live event feed: `connecting` before the first event stream opens, `live` while
 * it is open, `reconnecting` after it dropped and until it opens again. Kept in the store's
 * room, so components read it without importing the bridge.
 */
export type ConnectionState = 'connecting' | 'live' | 'reconnecting';
