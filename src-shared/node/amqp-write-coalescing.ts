/** The parts of an amqplib connection (a `ChannelModel`) whose frame writes are coalesced. */
interface MuxHost {
  connection?: { muxer?: { out?: Corkable; _readIncoming?: () => void } };
}

interface Corkable {
  cork(): void;
  uncork(): void;
}

/**
 * Makes an amqplib connection write the frames it has ready in one system call instead of one
 * per frame. amqplib's multiplexer writes every frame (a publish, an ack) to the socket on its
 * own; under load that was a fifth of the console's CPU. Corking the socket for each round of the
 * multiplexer joins them into one `writev`; backpressure is unchanged (a write past the buffer's
 * limit still stops the round until `drain`). A connection without these internals (another
 * amqplib version) is left as it is.
 */
export function coalesceFrameWrites(model: unknown): void {
  const muxer = (model as MuxHost).connection?.muxer;
  const socket = muxer?.out;
  const readIncoming = muxer?._readIncoming;
  if (!muxer || !socket || typeof readIncoming !== 'function' || typeof socket.cork !== 'function') return;
  muxer._readIncoming = function coalesced(this: unknown) {
    socket.cork();
    try {
      readIncoming.call(muxer);
    } finally {
      socket.uncork();
    }
  };
}
