using CloudArchive.Core.Archive;

namespace CloudArchive.Core.Lifecycle;

/// <summary>An archive instance found by a tag query (opaque keys only).</summary>
/// <param name="Name">The instance blob (<see cref="ArchiveNames.Instance"/>).</param>
/// <param name="StudyKey">The opaque study key.</param>
/// <param name="InstanceKey">The opaque instance key.</param>
/// <param name="RetainUntil">The <c>ca_retain_until</c> tag when the query returned it.</param>
public sealed record TaggedInstance(string Name, string StudyKey, string InstanceKey, string? RetainUntil)
{
    private const string Prefix = "studies/";

    /// <summary>The <c>ca_hold</c> tag when the query returned it (<see cref="IArchiveTagIndex.ListAllAsync"/> does).</summary>
    public string? Hold { get; init; }

    /// <summary>The <c>ca_patient</c> tag when the query returned it (<see cref="IArchiveTagIndex.ListAllAsync"/> does).</summary>
    public string? Patient { get; init; }
    private const string Suffix = ".dcm.enc";

    /// <summary>The keys of an instance blob name, or null when the name is not one.</summary>
    public static TaggedInstance? FromName(string name, string? retainUntil = null)
    {
        if (name is null || !name.StartsWith(Prefix, StringComparison.Ordinal) || !name.EndsWith(Suffix, StringComparison.Ordinal))
        {
            return null;
        }

        var parts = name[Prefix.Length..^Suffix.Length].Split('/');
        return parts.Length == 2 && Audit.OpaqueKey.IsValid(parts[0]) && Audit.OpaqueKey.IsValid(parts[1])
            ? new TaggedInstance(name, parts[0], parts[1], retainUntil)
            : null;
    }
}
