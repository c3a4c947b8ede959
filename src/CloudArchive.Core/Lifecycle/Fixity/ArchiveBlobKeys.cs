using CloudArchive.Core.Audit;

namespace CloudArchive.Core.Lifecycle.Fixity;

/// <summary>The opaque study and instance keys of an instance blob name (<c>studies/{studyKey}/{instanceKey}.dcm.enc</c>).</summary>
/// <param name="Study">The study key.</param>
/// <param name="Instance">The instance key.</param>
public sealed record ArchiveBlobKeys(OpaqueKey Study, OpaqueKey Instance)
{
    private const string Prefix = "studies/";
    private const string Suffix = ".dcm.enc";

    /// <summary>The keys of <paramref name="blobName"/>, or null when it is not an instance blob name.</summary>
    public static ArchiveBlobKeys? TryParse(string blobName)
    {
        ArgumentNullException.ThrowIfNull(blobName);
        if (!blobName.StartsWith(Prefix, StringComparison.Ordinal) || !blobName.EndsWith(Suffix, StringComparison.Ordinal))
        {
            return null;
        }

        var parts = blobName[Prefix.Length..^Suffix.Length].Split('/');
        return parts.Length == 2 && OpaqueKey.IsValid(parts[0]) && OpaqueKey.IsValid(parts[1]) ? new ArchiveBlobKeys(new OpaqueKey(parts[0]), new OpaqueKey(parts[1])) : null;
    }
}
