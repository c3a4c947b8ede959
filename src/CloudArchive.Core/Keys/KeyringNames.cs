using System.Text.RegularExpressions;
namespace CloudArchive.Core.Keys;

/// <summary>Entry names inside the keyring store and the key ids under which study keys appear in blobs.</summary>
public static partial class KeyringNames
{
    /// <summary>Prefix of research agreements' de-identification secrets.</summary>
    public const string AgreementsPrefix = "agreements/";

    /// <summary>Prefix of study-key entries.</summary>
    public const string StudiesPrefix = "studies/";

    /// <summary>Prefix of shred tombstones (no key material; they make "key destroyed" distinguishable from "never existed").</summary>
    public const string ShreddedPrefix = "shredded/";

    /// <summary>The index-key entry.</summary>
    public const string IndexKey = "index-key.json";

    /// <summary>The audit chain key entry (HMAC key of the audit log's keyed chain).</summary>
    public const string AuditChainKey = "audit-chain-key.json";
    /// <summary>The quarantine-key entry: wraps quarantine copies whose study is unknown or shredded (docs/ingest.md).</summary>
    public const string QuarantineKey = "quarantine-key.json";

    /// <summary>The key id under which the quarantine key appears in <c>encryptiondata</c>.</summary>
    public const string QuarantineKeyId = "urn:cloudarchive:quarantine";

    /// <summary>Prefix of the key id recorded in <c>WrappedContentKey.KeyId</c> for a study key.</summary>
    public const string StudyKeyIdPrefix = "urn:cloudarchive:study:";

    /// <summary>The entry of a study key: <c>studies/{studyKey}.json</c>.</summary>
    public static string Study(string studyKey) => StudiesPrefix + Validate(studyKey) + ".json";

    /// <summary>The secret of a research agreement: <c>agreements/{agreementId}.json</c>.</summary>
    public static string Agreement(string agreementId) =>
        AgreementsPrefix + (IsValidSecretName(agreementId) ? agreementId : throw new ArgumentException("Not a valid agreement id.", nameof(agreementId))) + ".json";

    /// <summary>
    /// Whether <paramref name="name"/> may name a secret the keyring holds for someone else (an agreement id): 3-63
    /// characters of a-z, 0-9 and '-', starting with a letter or digit, so it is safe as one blob-name segment.
    /// Research's agreement ids follow this rule.
    /// </summary>
    public static bool IsValidSecretName(string? name) => name is not null && SecretNamePattern().IsMatch(name);

    /// <summary>The tombstone of a shredded study: <c>shredded/{studyKey}.json</c>.</summary>
    public static string Tombstone(string studyKey) => ShreddedPrefix + Validate(studyKey) + ".json";

    /// <summary>The key id of a study key: <c>urn:cloudarchive:study:{studyKey}</c>.</summary>
    public static string StudyKeyId(string studyKey) => StudyKeyIdPrefix + Validate(studyKey);

    /// <summary>Extracts the study key from a study key id, or returns null if it is not one.</summary>
    public static string? StudyKeyFromKeyId(string keyId)
    {
        if (keyId is null || !keyId.StartsWith(StudyKeyIdPrefix, StringComparison.Ordinal))
        {
            return null;
        }

        var key = keyId[StudyKeyIdPrefix.Length..];
        return IsValidStudyKey(key) ? key : null;
    }

    /// <summary>Whether <paramref name="studyKey"/> is a plausible opaque key (1–64 of <c>[A-Za-z0-9_-]</c>), which also rules out path tricks.</summary>
    public static bool IsValidStudyKey(string studyKey)
        => !string.IsNullOrEmpty(studyKey) && studyKey.Length <= 64 && studyKey.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    // \A and \z, not ^ and $: $ also matches before a final "\n", so "abc\n" would pass.
    [GeneratedRegex(@"\A[a-z0-9][a-z0-9-]{2,62}\z", RegexOptions.CultureInvariant)]
    private static partial Regex SecretNamePattern();

    private static string Validate(string studyKey)
        => IsValidStudyKey(studyKey) ? studyKey : throw new KeyringException(KeyringFailureReason.InvalidName, "Not a valid opaque study key (1-64 characters of A-Z, a-z, 0-9, '-', '_').");
}
