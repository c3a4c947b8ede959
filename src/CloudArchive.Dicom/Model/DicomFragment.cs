using System.Runtime.InteropServices;

namespace CloudArchive.Dicom;

/// <summary>
/// One item of encapsulated Pixel Data (the Basic Offset Table or a compressed fragment), inline or bulk.
/// The bytes are passed through unchanged by the writer (never decoded or byte-swapped).
/// </summary>
public sealed class DicomFragment
{
    private readonly ReadOnlyMemory<byte> _bytes;

    /// <summary>Creates an inline fragment.</summary>
    public DicomFragment(ReadOnlyMemory<byte> value) => _bytes = value;

    /// <summary>Creates a fragment whose bytes are read on demand.</summary>
    public DicomFragment(DicomBulkData bulkData)
    {
        ArgumentNullException.ThrowIfNull(bulkData);
        BulkData = bulkData;
    }

    /// <summary>The fragment length in bytes as stored (odd for some non-conformant files; the writer pads with NUL).</summary>
    public long Length => BulkData?.Length ?? _bytes.Length;

    /// <summary>True when the fragment is bulk data.</summary>
    public bool IsBulk => BulkData is not null;

    /// <summary>The bulk data source, or null when inline.</summary>
    public DicomBulkData? BulkData { get; }

    /// <summary>The inline bytes.</summary>
    /// <exception cref="InvalidOperationException">The fragment is bulk data.</exception>
    public ReadOnlyMemory<byte> Bytes => BulkData is null ? _bytes : throw new InvalidOperationException("The fragment is bulk data; use OpenRead().");

    /// <summary>Opens the fragment bytes as a stream.</summary>
    public Stream OpenRead()
    {
        if (BulkData is not null)
        {
            return BulkData.OpenRead();
        }

        return MemoryMarshal.TryGetArray(_bytes, out var seg)
            ? new MemoryStream(seg.Array!, seg.Offset, seg.Count, false)
            : new MemoryStream(_bytes.ToArray(), false);
    }
}
