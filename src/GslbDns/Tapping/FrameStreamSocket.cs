using System.Net.Sockets;

namespace GslbDns.Tapping;

/// <summary>
/// A bidirectional Frame Streams connection to a collector on a Unix socket (fstrm's unix writer,
/// as fstrm_capture, dnstap-read tools and vector expect): READY with our content type, the
/// collector's ACCEPT, START, data frames, and at the end STOP answered by FINISH.
/// <para>
/// The collector may not be running yet, or may restart: a failed connect or write closes the
/// connection and the next attempt waits twice as long as the last (0.25 s up to 5 s), so an absent
/// collector costs a connect attempt now and then, not one per query.
/// </para>
/// </summary>
public sealed class FrameStreamSocket : FrameStreamOutput
{
    private static readonly TimeSpan FirstRetry = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan LongestRetry = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan HandshakeTimeout = TimeSpan.FromSeconds(2);

    // A collector that stops reading blocks the writer thread at most this long before it is dropped.
    private static readonly TimeSpan SendTimeout = TimeSpan.FromSeconds(5);

    private readonly string _path;
    private readonly string _contentType;
    private readonly TimeProvider _time;
    private Socket? _socket;
    private NetworkStream? _network;
    private BufferedStream? _stream;
    private TimeSpan _retry = FirstRetry;
    private long _nextAttempt;

    public FrameStreamSocket(string path, string contentType, TimeProvider time)
    {
        _path = path;
        _contentType = contentType;
        _time = time;
    }

    public override string Target => "unix:" + _path;

    public override bool IsOpen => _stream is not null;

    /// <summary>Why the last attempt failed, for the log.</summary>
    public string? LastError { get; private set; }

    public override bool TryOpen()
    {
        if (_stream is not null) return true;
        if (_time.GetTimestamp() < _nextAttempt) return false;
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            socket.Connect(new UnixDomainSocketEndPoint(_path));
            socket.ReceiveTimeout = (int)HandshakeTimeout.TotalMilliseconds;
            socket.SendTimeout = (int)SendTimeout.TotalMilliseconds;
            var network = new NetworkStream(socket, ownsSocket: false);
            FrameStreamControl.Write(network, FrameStreamControl.Ready, _contentType);
            var (type, accepted) = FrameStreamControl.Read(network);
            if (type != FrameStreamControl.Accept)
                throw new InvalidDataException($"the collector answered READY with control frame {type}, not ACCEPT");
            if (accepted.Count > 0 && !accepted.Contains(_contentType))
                throw new InvalidDataException($"the collector accepts {string.Join(", ", accepted)}, not {_contentType}");
            FrameStreamControl.Write(network, FrameStreamControl.Start, _contentType);
            _socket = socket;
            _network = network;
            _stream = new BufferedStream(network, 64 * 1024);
            _retry = FirstRetry;
            LastError = null;
            return true;
        }
        catch (Exception ex) when (ex is SocketException or IOException or InvalidDataException)
        {
            socket.Dispose();
            LastError = ex.Message;
            Backoff();
            return false;
        }
    }

    public override void WriteFrame(ReadOnlySpan<byte> payload) => FrameStreamControl.WriteData(Stream, payload);

    public override void Flush() => Stream.Flush();

    public override void Abandon()
    {
        Disconnect();
        Backoff();
    }

    public override void Close()
    {
        if (_stream is null) return;
        try
        {
            FrameStreamControl.Write(_stream, FrameStreamControl.Stop, null);
            _stream.Flush();
            // FINISH says the collector has everything; a collector that does not send it loses nothing more.
            FrameStreamControl.Read(_network!);
        }
        catch (Exception ex) when (ex is SocketException or IOException or InvalidDataException)
        {
            LastError = ex.Message;
        }
        Disconnect();
    }

    private void Backoff()
    {
        _nextAttempt = _time.GetTimestamp() + (long)(_retry.TotalSeconds * _time.TimestampFrequency);
        _retry = TimeSpan.FromTicks(Math.Min(_retry.Ticks * 2, LongestRetry.Ticks));
    }

    private void Disconnect()
    {
        var socket = _socket;
        _socket = null;
        _network = null;
        _stream = null;
        socket?.Dispose();
    }

    private Stream Stream => _stream ?? throw new IOException("not connected to the dnstap collector");
}
