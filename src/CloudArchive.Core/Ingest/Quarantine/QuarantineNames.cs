using CloudArchive.Core.Keys;

namespace CloudArchive.Core.Ingest.Quarantine;

/// <summary>
/// Names in the <c>quarantine</c> container. A quarantined upload is known by an opaque id, never by its upload name
/// (which may carry patient data): <c>q/{id}.dcm.enc</c> holds the encrypted copy, <c>q/{id}.reason.json</c> the
/// reason document. The id is keyed from the upload's container, name and ETag, so a re-delivery of the same upload
/// version lands on the same id (idempotent placement) while the id reveals nothing without the index key.
/// </summary>
public static class QuarantineNames
{
    /// <summary>Prefix of every quarantine blob.</summary>
    public const string Prefix = "q/";

    /// <summary>Suffix of an encrypted copy.</summary>
    public const string CopySuffix = ".dcm.enc";

    /// <summary>Suffix of a reason document.</summary>
    public const string ReasonSuffix = ".reason.json";

    /// <summary>The id of the upload version <paramref name="etag"/> of <paramref name="container"/>/<paramref name="blobName"/>.</summary>
    public static string IdFor(OpaqueKeyNamer namer, string container, string blobName, string etag)
    {
        ArgumentNullException.ThrowIfNull(namer);
        // NUL-prefixed label: no UID can produce it, so an id never equals a study or instance key.
        return namer.NameFor("\0cloudarchive:quarantine-id:v1\n" + container + "/" + blobName + "\n" + etag);
    }

    /// <summary>Whether <paramref name="id"/> has the shape of a quarantine id (26 lowercase base32 characters).</summary>
    public static bool IsValidId(string? id) =>
        id is { Length: OpaqueKeyNamer.NameLength } && id.All(c => c is (>= 'a' and <= 'z') or (>= '2' and <= '7'));

    /// <summary>The encrypted copy of <paramref name="id"/>.</summary>
    public static string Copy(string id) => Prefix + Validate(id) + CopySuffix;

    /// <summary>The reason document of <paramref name="id"/>.</summary>
    public static string Reason(string id) => Prefix + Validate(id) + ReasonSuffix;

    /// <summary>The id a quarantine blob name belongs to, or null for any other name.</summary>
    public static string? IdOf(string blobName)
    {
        if (blobName is null || !blobName.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return null;
        }

        var rest = blobName[Prefix.Length..];
        var id = rest.EndsWith(CopySuffix, StringComparison.Ordinal) ? rest[..^CopySuffix.Length]
            : rest.EndsWith(ReasonSuffix, StringComparison.Ordinal) ? rest[..^ReasonSuffix.Length]
            : null;
        return IsValidId(id) ? id : null;
    }

    private static string Validate(string id) =>
        IsValidId(id) ? id : throw new ArgumentException("Not a quarantine id (26 lowercase base32 characters).", nameof(id));
}
