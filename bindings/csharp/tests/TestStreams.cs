// TestStreams.cs: streams that misbehave on purpose (throwing destinations
// and sources), for the tests of callback failures.

using System;
using System.IO;

namespace LibFtp.Tests
{
    sealed class MarkerException : Exception
    {
        public MarkerException(string m) : base(m) { }
    }

    /// <summary>A write-only, unseekable destination: Write is the test's.</summary>
    abstract class SinkStream : Stream
    {
        public abstract long Count { get; }
        public override bool CanRead { get { return false; } }
        public override bool CanSeek { get { return false; } }
        public override bool CanWrite { get { return true; } }
        public override long Length { get { return Count; } }
        public override long Position { get { return Count; } set { throw new NotSupportedException(); } }
        public override void Flush() { }
        public override int Read(byte[] b, int o, int c) { throw new NotSupportedException(); }
        public override long Seek(long o, SeekOrigin s) { throw new NotSupportedException(); }
        public override void SetLength(long v) { throw new NotSupportedException(); }
    }

    /// <summary>A destination that throws after `limit` bytes.</summary>
    sealed class ThrowingSink : SinkStream
    {
        readonly long limit;
        public long Written;
        public ThrowingSink(long limit) { this.limit = limit; }
        public override long Count { get { return Written; } }
        public int CallsAfterThrow;
        bool thrown;
        public override void Write(byte[] b, int o, int c)
        {
            if (thrown) CallsAfterThrow++;
            if (Written + c > limit)
            {
                thrown = true;
                throw new MarkerException("sink full at " + Written);
            }
            Written += c;
        }
    }

    /// <summary>A source that throws after `limit` bytes.</summary>
    sealed class ThrowingSource : Stream
    {
        readonly long limit;
        public long ReadSoFar;
        public ThrowingSource(long limit) { this.limit = limit; }
        public override bool CanRead { get { return true; } }
        public override bool CanSeek { get { return false; } }
        public override bool CanWrite { get { return false; } }
        public override long Length { get { throw new NotSupportedException(); } }
        public override long Position { get { return ReadSoFar; } set { throw new NotSupportedException(); } }
        public override void Flush() { }
        public override void Write(byte[] b, int o, int c) { throw new NotSupportedException(); }
        public override long Seek(long o, SeekOrigin s) { throw new NotSupportedException(); }
        public override void SetLength(long v) { throw new NotSupportedException(); }
        public override int Read(byte[] b, int o, int c)
        {
            if (ReadSoFar >= limit) throw new MarkerException("source broken at " + ReadSoFar);
            int n = (int)Math.Min(c, limit - ReadSoFar);
            for (int i = 0; i < n; i++) b[o + i] = (byte)'x';
            ReadSoFar += n;
            return n;
        }
    }
}
