namespace CloudArchive.Core.Ingest.Quarantine;

/// <summary>An opened encrypted copy: a forward read of its ciphertext with the metadata needed to decrypt it.</summary>
public sealed class QuarantineCopy : IAsyncDisposable
{
    /// <summary>Wraps an opened copy; <paramref name="content"/> is owned and disposed by this object.</summary>
    public QuarantineCopy(Stream content, long length, IReadOnlyDictionary<string, string> metadata)
    {
        Content = content ?? throw new ArgumentNullException(nameof(content));
        Length = length;
        Metadata = metadata ?? throw new ArgumentNullException(nameof(metadata));
    }

    /// <summary>The ciphertext.</summary>
    public Stream Content { get; }

    /// <summary>The ciphertext length.</summary>
    public long Length { get; }

    /// <summary>The blob's metadata.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => Content.DisposeAsync();
}
