using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace CloudArchive.Core.Ingest;

/// <summary>
/// A random reference an uploader attaches to an upload (blob metadata <see cref="MetadataName"/>) so it can follow
/// that upload to its outcome in the audit log without the archive recording a file name: names can carry patient data,
/// a random reference cannot. The ingest copies a well-formed reference into the detail of the upload's import line.
/// </summary>
public static partial class UploadReference
{
    /// <summary>The blob metadata name that carries the reference.</summary>
    public const string MetadataName = "ca_upload_ref";

    /// <summary>The audit detail prefix (<c>upload-ref=&lt;reference&gt;</c>).</summary>
    public const string DetailPrefix = "upload-ref=";

    /// <summary>A new reference: 128 random bits as 32 lowercase hex digits.</summary>
    public static string New() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    /// <summary>
    /// The reference when <paramref name="value"/> is one (exactly 32 lowercase hex digits), else null: the metadata is
    /// set by whoever uploads, so anything else is ignored rather than written to the audit log.
    /// </summary>
    public static string? ParseOrNull(string? value) => value is not null && Shape().IsMatch(value) ? value : null;

    /// <summary>The audit detail for a reference.</summary>
    public static string Detail(string reference) => DetailPrefix + reference;

    [GeneratedRegex(@"\A[0-9a-f]{32}\z", RegexOptions.CultureInvariant)]
    private static partial Regex Shape();
}
