namespace GslbDns.Tapping;

/// <summary>
/// A unidirectional Frame Streams file (fstrm's file writer): a START control frame naming the
/// content type, the data frames, and a STOP frame when the server stops, so readers such as
/// <c>dnstap-ldns -r</c> know the file is complete. Each start of the server begins the file anew.
/// </summary>
public sealed class FrameStreamFile : FrameStreamOutput
{
    private readonly string _path;
    private readonly string _contentType;
    private Stream? _stream;
    private bool _failed;

    public FrameStreamFile(string path, string contentType)
    {
        _path = path;
        _contentType = contentType;
    }

    public override string Target => "file:" + _path;

    public override bool IsOpen => _stream is not null;

    /// <summary>A file that failed once (a full disk) stays closed: a second START in one file would not be read.</summary>
    public override bool TryOpen()
    {
        if (_stream is not null) return true;
        if (_failed) return false;
        _stream = new FileStream(_path, FileMode.Create, FileAccess.Write, FileShare.Read | FileShare.Delete, bufferSize: 64 * 1024);
        FrameStreamControl.Write(_stream, FrameStreamControl.Start, _contentType);
        _stream.Flush();
        return true;
    }

    public override void WriteFrame(ReadOnlySpan<byte> payload) => FrameStreamControl.WriteData(Stream, payload);

    public override void Flush() => Stream.Flush();

    public override void Abandon()
    {
        _failed = true;
        var stream = _stream;
        _stream = null;
        try
        {
            stream?.Dispose();
        }
        catch (IOException)
        {
            // Its buffer could not be written either; the file is given up.
        }
    }

    public override void Close()
    {
        if (_stream is null) return;
        FrameStreamControl.Write(_stream, FrameStreamControl.Stop, null);
        _stream.Dispose();
        _stream = null;
    }

    private Stream Stream => _stream ?? throw new IOException("the dnstap file is not open");
}
