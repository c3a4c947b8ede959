namespace CloudArchive.Dicom;

/// <summary>Reads several streams one after the other, opening each only when the previous one is exhausted.</summary>
internal sealed class ConcatenatedStream(IReadOnlyList<Func<Stream>> parts) : ReadOnlyStream
{
    private int _index;
    private Stream? _current;

    public override int Read(Span<byte> buffer)
    {
        while (buffer.Length > 0 && Next() is { } s)
        {
            var n = s.Read(buffer);
            if (n > 0)
            {
                return n;
            }

            Advance();
        }

        return 0;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (buffer.Length > 0 && Next() is { } s)
        {
            var n = await s.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
            if (n > 0)
            {
                return n;
            }

            Advance();
        }

        return 0;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _current?.Dispose();
            _current = null;
        }

        base.Dispose(disposing);
    }

    private Stream? Next() => _current ??= _index < parts.Count ? parts[_index]() : null;

    private void Advance()
    {
        _current?.Dispose();
        _current = null;
        _index++;
    }
}
