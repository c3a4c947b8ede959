namespace CloudArchive.Azure.Storage.Blobs;

/// <summary>A byte range of a blob: <see cref="Offset"/> and, optionally, <see cref="Length"/> (null = to the end).</summary>
public readonly record struct BlobRange
{
    /// <summary>Creates a range; throws for a negative offset or a non-positive length.</summary>
    public BlobRange(long offset, long? length = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        if (length is { } l)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(l, 1, nameof(length));
        }

        Offset = offset;
        Length = length;
    }

    /// <summary>The first byte.</summary>
    public long Offset { get; }

    /// <summary>The number of bytes, or null for "to the end of the blob".</summary>
    public long? Length { get; }

    /// <summary>The <c>x-ms-range</c> header value (inclusive end).</summary>
    public string ToHeaderValue() =>
        Length is { } l
            ? FormattableString.Invariant($"bytes={Offset}-{Offset + l - 1}")
            : FormattableString.Invariant($"bytes={Offset}-");
}
