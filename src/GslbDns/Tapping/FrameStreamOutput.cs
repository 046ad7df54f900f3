namespace GslbDns.Tapping;

/// <summary>
/// Where dnstap frames go, as a Frame Streams writer: opened (with whatever handshake the transport
/// has), data frames written, flushed, and closed with the STOP frame. Used by the writer thread only.
/// </summary>
public abstract class FrameStreamOutput
{
    public abstract string Target { get; }

    /// <summary>Frames can be written now.</summary>
    public abstract bool IsOpen { get; }

    /// <summary>Opens the output if it is closed and it is time to try; false when it stays closed.</summary>
    public abstract bool TryOpen();

    /// <summary>Writes one data frame (buffered); throws IOException when the output has gone.</summary>
    public abstract void WriteFrame(ReadOnlySpan<byte> payload);

    public abstract void Flush();

    /// <summary>The output failed: closes it without ceremony (a collector may try again later).</summary>
    public abstract void Abandon();

    /// <summary>Ends the stream cleanly (STOP) and closes it.</summary>
    public abstract void Close();
}
