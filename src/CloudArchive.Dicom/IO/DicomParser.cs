using System.IO.Compression;
using Microsoft.Win32.SafeHandles;

namespace CloudArchive.Dicom;

/// <summary>The reader's state machine (one instance per input). See <see cref="DicomReader"/> for behaviour.</summary>
internal sealed partial class DicomParser
{
    private const uint UndefinedLength = 0xFFFFFFFF;
    private const uint MaxMetaValueLength = 1 << 20;
    private static readonly Encoding ImplicitLE = new(false, false);

    private readonly Stream _source;
    private readonly DicomReaderOptions _options;
    private readonly SafeFileHandle? _handle;
    private readonly CancellationToken _cancellationToken;
    private readonly object _gate = new();
    private readonly List<IDisposable> _resources = new();
    private DicomInput _input = null!;
    private SpoolFile? _spool;
    private bool _bulkByReference;
    private bool _readingMeta;
    private long _elementCount;
    private long _inlineBytes;

    public DicomParser(Stream source, DicomReaderOptions options, SafeFileHandle? handle, CancellationToken cancellationToken)
    {
        if (options.BulkDataThreshold < 0 || options.MaxDepth < 1 || options.BufferSize < 1)
        {
            throw new ArgumentException("Invalid reader options.", nameof(options));
        }

        this._source = source;
        this._options = options;
        this._handle = handle;
        this._cancellationToken = cancellationToken;
    }

    public async Task<DicomFile> ReadFileAsync()
    {
        try
        {
            OpenInput();
            byte[]? preamble = null;
            if (await _input.TryEnsureAsync(132).ConfigureAwait(false) && IsDicm(_input.Span(132)[128..]))
            {
                preamble = await _input.ReadBytesAsync(128, null).ConfigureAwait(false);
                _input.Advance(4);
            }
            else if (await _input.TryEnsureAsync(4).ConfigureAwait(false) && IsDicm(_input.Span(4)))
            {
                _input.Advance(4);
            }

            var meta = new DicomDataset();
            var hadMeta = false;
            if (await _input.TryEnsureAsync(8).ConfigureAwait(false) && _input.PeekByte(0) == 0x02 && _input.PeekByte(1) == 0x00)
            {
                hadMeta = true;
                _readingMeta = true;
                await ReadDatasetAsync(meta, new Encoding(true, false), 0, null, false, true, metaOnly: true).ConfigureAwait(false);
                _readingMeta = false;
            }

            TransferSyntax ts;
            var guessed = false;
            if (meta.Get(DicomTags.TransferSyntaxUID) is DicomValueElement tsElement && tsElement.GetString().Trim('\0', ' ').Length > 0)
            {
                ts = TransferSyntax.Lookup(tsElement.GetString());
            }
            else
            {
                ts = await DetectAsync().ConfigureAwait(false);
                guessed = true;
            }

            var file = new DicomFile(new DicomDataset(), ts)
            {
                Preamble = preamble,
                FileMetaInformation = meta,
                HadPreamble = preamble is not null,
                HadFileMetaInformation = hadMeta,
                TransferSyntaxWasGuessed = guessed,
            };

            await ReadBodyAsync(file.Dataset, ts).ConfigureAwait(false);
            if (preamble is null && !hadMeta && file.Dataset.Count == 0)
            {
                throw new DicomFormatException("no DICOM data (empty input)", _input.Position);
            }

            foreach (var r in _resources)
            {
                file.Own(r);
            }

            return file;
        }
        catch
        {
            foreach (var r in _resources)
            {
                r.Dispose();
            }

            throw;
        }
    }

    public async Task<DicomFile> ReadDatasetOnlyAsync(TransferSyntax ts)
    {
        try
        {
            OpenInput();
            var file = new DicomFile(new DicomDataset(), ts);
            await ReadBodyAsync(file.Dataset, ts).ConfigureAwait(false);
            foreach (var r in _resources)
            {
                file.Own(r);
            }

            return file;
        }
        catch
        {
            foreach (var r in _resources)
            {
                r.Dispose();
            }

            throw;
        }
    }

    private static bool IsDicm(ReadOnlySpan<byte> s) => s[0] == 'D' && s[1] == 'I' && s[2] == 'C' && s[3] == 'M';

    private static bool IsUpper(byte b) => b >= 'A' && b <= 'Z';

    private void OpenInput()
    {
        var seekable = _source.CanSeek;
        _input = new DicomInput(_source, _options.BufferSize, seekable ? _source.Position : 0, seekable ? _source.Length : null, seekable, _cancellationToken);
        _bulkByReference = seekable && (_handle is not null || !_options.SpoolSeekableStreams);
    }

    private async Task<TransferSyntax> DetectAsync()
    {
        if (!await _input.TryEnsureAsync(8).ConfigureAwait(false))
        {
            return TransferSyntax.ExplicitVRLittleEndian;
        }

        var s = _input.Span(8);
        var vrLike = IsUpper(s[4]) && IsUpper(s[5]);
        var groupLE = s[0] | (s[1] << 8);
        var groupBE = (s[0] << 8) | s[1];
        if (!vrLike)
        {
            return TransferSyntax.ImplicitVRLittleEndian;
        }

        return groupBE < groupLE ? TransferSyntax.ExplicitVRBigEndian : TransferSyntax.ExplicitVRLittleEndian;
    }

    private async Task ReadBodyAsync(DicomDataset dataset, TransferSyntax ts)
    {
        if (ts.IsDeflated)
        {
            var start = _input.Position;
            var prefix = _input.TakeBuffered(out var streamOffset);
            if (_source.CanSeek && _source.Position != streamOffset)
            {
                _source.Seek(streamOffset, SeekOrigin.Begin);
            }

            var zlib = prefix.Length >= 2 && prefix[0] == 0x78 && ((prefix[0] << 8) | prefix[1]) % 31 == 0;
            var counting = new CountingStream(_source, prefix);
            Stream inflater = zlib ? new ZLibStream(counting, CompressionMode.Decompress, true) : new DeflateStream(counting, CompressionMode.Decompress, true);
            var guard = new InflateGuardStream(inflater, counting, _options, start);
            _resources.Add(guard);
            _input = new DicomInput(guard, _options.BufferSize, start, null, false, _cancellationToken);
            _bulkByReference = false;
        }

        await ReadDatasetAsync(dataset, new Encoding(ts.IsExplicitVR, ts.IsBigEndian), 0, null, false, true, metaOnly: false).ConfigureAwait(false);
    }

    private long? Bound(long? outer) =>
        outer is long o ? (_input.End is long e ? Math.Min(o, e) : o) : _input.End;

    private long CheckedEnd(long length, long? outer, long offset, DicomTag tag, string what)
    {
        var end = _input.Position + length;
        if (Bound(outer) is long b && end > b)
        {
            throw new DicomFormatException($"{what} length {length} exceeds the {b - _input.Position} bytes remaining", offset, tag);
        }

        return end;
    }

    private readonly record struct Encoding(bool Explicit, bool BigEndian);
}
