using System.Buffers;
using System.Buffers.Text;
using System.Text;

namespace GslbDns.Health.Probes;

/// <summary>
/// Reads one HTTP/1.1 response (RFC 9112) from a stream: the status line, the header fields and a
/// body framed by chunked coding, Content-Length or the end of the connection, keeping up to
/// <see cref="BodyLimit"/> bytes of it. The body is read even when nobody looks at it, so that the
/// connection closes with a FIN rather than a reset for unread data.
/// </summary>
internal sealed class HttpResponseReader(Stream stream) : IDisposable
{
    public const int BodyLimit = 64 * 1024;
    private const int HeaderLimit = 16 * 1024;

    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(HeaderLimit);
    private int _start, _end;
    private bool _eof;
    private int _lineStart;
    private byte[]? _body;
    private int _bodyLength;
    private int _bodySeen;

    public int Status { get; private set; }

    /// <summary>The first <see cref="BodyLimit"/> bytes of the body, when it was asked to keep them.</summary>
    public ReadOnlySpan<byte> Body => _body.AsSpan(0, _bodyLength);

    /// <summary>Reads the response; null when it was well formed, else a failure detail.</summary>
    public async ValueTask<string?> ReadAsync(bool headRequest, bool keepBody, CancellationToken cancellation)
    {
        long contentLength;
        bool chunked;
        int headerBytes = 0;
        while (true)
        {
            int length = await ReadLineAsync(cancellation).ConfigureAwait(false);
            if (length < 0) return _eof && headerBytes == 0 ? "HTTP: connection closed before a response" : "HTTP: response header too long";
            headerBytes += length + 2;
            if (!TryParseStatus(_buffer.AsSpan(_lineStart, length), out int status)) return "HTTP: malformed status line";
            Status = status;
            contentLength = -1;
            chunked = false;
            while (true)
            {
                length = await ReadLineAsync(cancellation).ConfigureAwait(false);
                if (length < 0) return _eof ? "HTTP: connection closed inside the header" : "HTTP: response header too long";
                headerBytes += length + 2;
                if (headerBytes > HeaderLimit) return "HTTP: response header too long";
                if (length == 0) break;
                var field = _buffer.AsSpan(_lineStart, length);
                if (HasName(field, "content-length"u8, out var value))
                {
                    if (!Utf8Parser.TryParse(value, out contentLength, out int used) || used != value.Length || contentLength < 0) return "HTTP: bad Content-Length";
                }
                else if (HasName(field, "transfer-encoding"u8, out value))
                {
                    // RFC 9112 §6.1: chunked, when present, is the final coding.
                    chunked = EndsWithIgnoreCase(value, "chunked"u8);
                }
            }
            // RFC 9110 §15.2: interim 1xx responses (103 Early Hints) precede the real one.
            if (status is >= 100 and < 200 && status != 101) continue;
            break;
        }

        if (keepBody) _body = ArrayPool<byte>.Shared.Rent(BodyLimit);
        // RFC 9112 §6.3: no body after HEAD, 1xx, 204 and 304; chunked wins over Content-Length.
        if (headRequest || Status is < 200 or 204 or 304) return null;
        if (chunked) return await ReadChunkedAsync(cancellation).ConfigureAwait(false);
        if (contentLength >= 0) return await ReadCountAsync(contentLength, cancellation).ConfigureAwait(false) ? null : "HTTP: body cut short";
        while (_bodySeen < BodyLimit)
        {
            if (_start == _end && !await FillAsync(cancellation).ConfigureAwait(false)) break;
            Keep(_end - _start);
        }
        return null;
    }

    private async ValueTask<string?> ReadChunkedAsync(CancellationToken cancellation)
    {
        while (_bodySeen < BodyLimit)
        {
            int length = await ReadLineAsync(cancellation).ConfigureAwait(false);
            if (length < 0) return "HTTP: chunked body cut short";
            var line = _buffer.AsSpan(_lineStart, length);
            int extension = line.IndexOf((byte)';');
            if (extension >= 0) line = line[..extension];
            line = line.Trim((byte)' ');
            if (!Utf8Parser.TryParse(line, out long size, out int used, 'x') || used != line.Length || line.Length == 0) return "HTTP: bad chunk size";
            if (size == 0) return null; // trailers, if any, are left unread: nothing here needs them
            if (!await ReadCountAsync(size, cancellation).ConfigureAwait(false)) return "HTTP: chunked body cut short";
            if (_bodySeen >= BodyLimit) return null;
            if (await ReadLineAsync(cancellation).ConfigureAwait(false) != 0) return "HTTP: bad chunk end";
        }
        return null;
    }

    /// <summary>Consumes <paramref name="count"/> body bytes (or up to the limit); false at a premature end.</summary>
    private async ValueTask<bool> ReadCountAsync(long count, CancellationToken cancellation)
    {
        while (count > 0 && _bodySeen < BodyLimit)
        {
            if (_start == _end && !await FillAsync(cancellation).ConfigureAwait(false)) return false;
            int take = (int)Math.Min(count, _end - _start);
            Keep(take);
            count -= take;
        }
        return true;
    }

    private void Keep(int count)
    {
        count = Math.Min(count, BodyLimit - _bodySeen);
        if (_body is not null)
        {
            _buffer.AsSpan(_start, count).CopyTo(_body.AsSpan(_bodyLength));
            _bodyLength += count;
        }
        _bodySeen += count;
        _start += count;
    }

    /// <summary>
    /// Reads up to the next LF; the line (without CRLF) starts at <see cref="_lineStart"/>. Returns
    /// its length, or -1 at the end of the stream or when a line does not fit the buffer.
    /// </summary>
    private async ValueTask<int> ReadLineAsync(CancellationToken cancellation)
    {
        int searched = 0;
        while (true)
        {
            int lf = _buffer.AsSpan(_start + searched, _end - _start - searched).IndexOf((byte)'\n');
            if (lf >= 0)
            {
                _lineStart = _start;
                int length = searched + lf;
                _start += length + 1;
                return length > 0 && _buffer[_lineStart + length - 1] == '\r' ? length - 1 : length;
            }
            searched = _end - _start;
            if (!await FillAsync(cancellation).ConfigureAwait(false)) return -1;
        }
    }

    /// <summary>Reads more bytes after those buffered; false at the end of the stream or when the buffer is full.</summary>
    private async ValueTask<bool> FillAsync(CancellationToken cancellation)
    {
        if (_eof) return false;
        if (_start == _end)
        {
            _start = _end = 0;
        }
        else if (_end == _buffer.Length && _start > 0)
        {
            _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
            _end -= _start;
            _start = 0;
        }
        if (_end == _buffer.Length) return false;
        int read = await stream.ReadAsync(_buffer.AsMemory(_end), cancellation).ConfigureAwait(false);
        if (read == 0)
        {
            _eof = true;
            return false;
        }
        _end += read;
        return true;
    }

    /// <summary>RFC 9112 §4: <c>HTTP/1.x SP 3DIGIT SP reason</c> (the reason may be empty or missing).</summary>
    private static bool TryParseStatus(ReadOnlySpan<byte> line, out int status)
    {
        status = 0;
        if (line.Length < 12 || !line.StartsWith("HTTP/1."u8) || line[8] != ' ') return false;
        if (line.Length > 12 && line[12] != ' ') return false;
        for (int i = 9; i < 12; i++)
        {
            if (!char.IsAsciiDigit((char)line[i])) return false;
            status = status * 10 + (line[i] - '0');
        }
        return status >= 100;
    }

    private static bool HasName(ReadOnlySpan<byte> field, ReadOnlySpan<byte> name, out ReadOnlySpan<byte> value)
    {
        value = default;
        if (field.Length <= name.Length || field[name.Length] != ':' || !Ascii.EqualsIgnoreCase(field[..name.Length], name)) return false;
        value = field[(name.Length + 1)..].Trim(" \t"u8);
        return true;
    }

    private static bool EndsWithIgnoreCase(ReadOnlySpan<byte> value, ReadOnlySpan<byte> suffix) =>
        value.Length >= suffix.Length && Ascii.EqualsIgnoreCase(value[^suffix.Length..], suffix);

    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
        if (_body is not null) ArrayPool<byte>.Shared.Return(_body);
        _body = null;
    }
}
