namespace CloudArchive.Core.Crypto;

/// <summary>Options for writing CSE v2.1 blobs.</summary>
public sealed class EnvelopeEncryptionOptions
{
    /// <summary>Plaintext bytes per GCM region (<c>EncryptedRegionInfo.DataLength</c>); 4 MiB by default, 16 B … 1 GiB allowed.</summary>
    public int RegionLength { get; init; } = CseFormat.DefaultRegionLength;

    /// <summary>Written to <c>KeyWrappingMetadata.EncryptionLibrary</c> so a future reader knows which tool produced the blob.</summary>
    public string EncryptionLibrary { get; init; } = "CloudArchive .NET " + typeof(EnvelopeEncryptionOptions).Assembly.GetName().Version?.ToString(3);

    internal void Validate()
    {
        if (RegionLength < CseFormat.MinRegionLength || RegionLength > CseFormat.MaxRegionLength)
        {
            throw new ArgumentOutOfRangeException(nameof(RegionLength), RegionLength, $"Region length must be within {CseFormat.MinRegionLength}..{CseFormat.MaxRegionLength} bytes.");
        }
    }
}
