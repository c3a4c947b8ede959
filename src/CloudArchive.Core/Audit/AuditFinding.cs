namespace CloudArchive.Core.Audit;

/// <summary>One problem found by <see cref="AuditLogVerifier"/>: where and what.</summary>
/// <param name="BlobName">The blob.</param>
/// <param name="LineNumber">1-based line number in the blob (0 for blob-level findings).</param>
/// <param name="Kind">The kind of problem.</param>
/// <param name="Message">Explanation, including the likely tampering (never the line's content).</param>
/// <param name="Expected">The expected value (hash or sequence number), when applicable.</param>
/// <param name="Actual">The value found, when applicable.</param>
public sealed record AuditFinding(string BlobName, int LineNumber, AuditFindingKind Kind, string Message, string? Expected = null, string? Actual = null)
{
    /// <summary>The kind as a stable kebab-case name (<c>chain-broken</c>, <c>truncated</c>, <c>seal-missing</c>, ...), as
    /// <c>audit verify</c> prints it and its <c>--json</c> output carries it.</summary>
    public string KindName => NameOf(Kind);

    /// <summary>Formats as <c>blob:line: kind-name: message (expected X, actual Y)</c>.</summary>
    public override string ToString() =>
        $"{BlobName}:{LineNumber}: {KindName}: {Message}" + (Expected is null && Actual is null ? "" : $" (expected {Expected}, actual {Actual})");

    /// <summary>The kebab-case name of a kind.</summary>
    public static string NameOf(AuditFindingKind kind)
    {
        var name = kind.ToString();
        var builder = new System.Text.StringBuilder(name.Length + 4);
        for (var i = 0; i < name.Length; i++)
        {
            if (char.IsUpper(name[i]) && i > 0)
            {
                builder.Append('-');
            }

            builder.Append(char.ToLowerInvariant(name[i]));
        }

        return builder.ToString();
    }
}
