using CloudArchive.Research.Agreements;

namespace CloudArchive.Research.Export;

/// <summary>Blob names of the export ledger and admin manifest in the <c>control</c> container.</summary>
public static class ExportNames
{
    /// <summary>Everything the exporter keeps for one agreement.</summary>
    public static string AgreementPrefix(string agreementId) => $"exports/{RequireAgreement(agreementId)}/";

    /// <summary>Prefix of the ledger entries of one agreement.</summary>
    public static string LedgerPrefix(string agreementId) => AgreementPrefix(agreementId) + "studies/";

    /// <summary>The ledger entry of one archive study: <c>exports/{agreementId}/studies/{studyKey}.json</c>.</summary>
    public static string LedgerEntry(string agreementId, string studyKey) => LedgerPrefix(agreementId) + RequireKey(studyKey) + ".json";

    /// <summary>The administrators' manifest: <c>exports/{agreementId}/manifest.json</c>.</summary>
    public static string AdminManifest(string agreementId) => AgreementPrefix(agreementId) + "manifest.json";

    /// <summary>The study key of a ledger entry name under <paramref name="agreementId"/>, or null when the name is not one.</summary>
    public static string? StudyKeyOfLedgerEntry(string agreementId, string name)
    {
        var prefix = LedgerPrefix(agreementId);
        if (name is null || !name.StartsWith(prefix, StringComparison.Ordinal) || !name.EndsWith(".json", StringComparison.Ordinal))
        {
            return null;
        }

        var key = name[prefix.Length..^".json".Length];
        return IsOpaqueKey(key) ? key : null;
    }

    /// <summary>Whether <paramref name="key"/> is an opaque key (26 lowercase base32 characters).</summary>
    public static bool IsOpaqueKey(string? key) => key is { Length: 26 } && key.All(c => c is (>= 'a' and <= 'z') or (>= '2' and <= '7'));

    private static string RequireAgreement(string agreementId) =>
        DataSharingAgreement.IsValidId(agreementId) ? agreementId : throw new ArgumentException("Not a valid agreement id.", nameof(agreementId));

    private static string RequireKey(string key) =>
        IsOpaqueKey(key) ? key : throw new ArgumentException("Not an opaque key.", nameof(key));
}
