using System.Text;
using System.Text.Json;
using CloudArchive.Core.Audit;
using CloudArchive.Core.Keys;
using CloudArchive.Core.Minimization;
using CloudArchive.Core.Policies;
using CloudArchive.Core.Retention;
using CloudArchive.Dicom;
using CloudArchive.Functions.Ingest;
using CloudArchive.Functions.Middleware;
using CloudArchive.Functions.Research;
using CloudArchive.Research.Agreements;
using CloudArchive.Research.Common;
using CloudArchive.Research.Consent;
using CloudArchive.Research.Export;
using CloudArchive.Research.Publication;
using Xunit;

namespace CloudArchive.Functions.Tests;

/// <summary>
/// Every identifier check of the archive, fed a valid value with a line break added. In .NET, <c>$</c> also matches
/// before a final <c>\n</c>, so a pattern such as <c>^[a-z0-9-]+$</c> accepted <c>"abc\n"</c>: a review sent a research
/// API id ending in <c>%0A</c> past the route check and got a 500 with no audit line. Each check is also given the value
/// without the line break, so a check that refuses everything cannot pass. This project sees every layer (Functions
/// references Core, Azure, Deidentification and Dicom), so the one list covers them all; Core's internal patterns are
/// reached through the public types that use them.
/// </summary>
public sealed class IdentifierLineBreakTests
{
    private const string Agreement = "lung-ct-2026";
    private const string Uid = "1.2.840.10008.5.1.4.1.1.2";
    private const string LowerKey = "abcdefghijklmnopqrstuvwxyz";
    private const string UpperKey = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";

    private static readonly Dictionary<string, Func<string, string>> LineBreaks = new(StringComparer.Ordinal)
    {
        ["trailing LF"] = v => v + "\n",
        ["trailing CRLF"] = v => v + "\r\n",
        ["leading LF"] = v => "\n" + v,
    };

    // Name → (a value the check accepts, the check). Exception-throwing checks are wrapped by Accepts, which treats only
    // the exception the check documents as a refusal; anything else fails the test.
    private static readonly Dictionary<string, (string Valid, Func<string, bool> Accepts)> Checks = new(StringComparer.Ordinal)
    {
        // Core: DICOM UIDs and research names.
        ["DicomUid.TryNormalize"] = (Uid, v => DicomUid.TryNormalize(v, out _, out _)),
        ["DicomUid.IsValid"] = ("2.25.1001", DicomUid.IsValid),
        ["ResearchNames.ParseInstance"] = ($"{Agreement}/studies/2.25.1/series/2.25.2/instances/2.25.3.dcm", v => ResearchNames.ParseInstance(v) is not null),
        ["DataSharingAgreement.IsValidId"] = (Agreement, DataSharingAgreement.IsValidId),
        ["AgreementNames.IdOf"] = ($"agreements/{Agreement}.json", v => AgreementNames.IdOf(v) is not null),
        ["AgreementJson.ParseDraft validFrom"] = ("2026-01-01T00:00:00Z", v => Accepts<AgreementFormatException>(() => AgreementJson.ParseDraft(AgreementDraftJson(validFrom: v)))),
        ["AgreementJson.ParseDraft sopClassUids"] = (Uid, v => Accepts<AgreementFormatException>(() => AgreementJson.ParseDraft(AgreementDraftJson(sopClassUid: v)))),
        ["ConsentNames.IsPseudonym"] = (LowerKey, ConsentNames.IsPseudonym),
        ["ConsentValidator.IsSourceId"] = ("consent-1.a", ConsentValidator.IsSourceId),
        ["ConsentValidator.IsActor agreement"] = (Agreement, ConsentValidator.IsActor),
        ["ConsentValidator.IsActor object id"] = ("3f2504e0-4f89-41d3-9a0c-0305e82c3301", ConsentValidator.IsActor),
        ["ResearchCodes.IsObjectId"] = ("3f2504e0-4f89-41d3-9a0c-0305e82c3301", ResearchCodes.IsObjectId),
        ["ResearchCodes.IsPurposeOfUse"] = ("HRESCH", ResearchCodes.IsPurposeOfUse),
        ["ResearchCodes.IsCodeString"] = ("CT", ResearchCodes.IsCodeString),
        ["ExportNames.IsOpaqueKey"] = (LowerKey, ExportNames.IsOpaqueKey),
        ["ExportNames.StudyKeyOfLedgerEntry"] = ($"exports/{Agreement}/studies/{LowerKey}.json", v => ExportNames.StudyKeyOfLedgerEntry(Agreement, v) is not null),

        // Core: audit fields (AuditFieldRules is internal; these are its public users).
        ["OpaqueKey.IsValid lowercase"] = (LowerKey, OpaqueKey.IsValid),
        ["OpaqueKey.IsValid uppercase"] = (UpperKey, OpaqueKey.IsValid),
        ["AuditBlobName.IsValidWriterId"] = ("writer-1", AuditBlobName.IsValidWriterId),
        ["AuditBlobName.TryParse"] = ("log/2026/01/02/03/writer-1.jsonl", v => AuditBlobName.TryParse(v, out _, out _)),
        ["AuditActor id"] = ("app:cloudarchive", v => Accepts<ArgumentException>(() => new AuditActor(v))),
        ["AuditActor upn"] = ("a.researcher@example.org", v => Accepts<ArgumentException>(() => new AuditActor("app:x", upn: v))),
        ["AuditActor app"] = ("cloudarchive-functions", v => Accepts<ArgumentException>(() => new AuditActor("app:x", app: v))),
        ["AuditActor role"] = ("researcher", v => Accepts<ArgumentException>(() => new AuditActor("app:x", role: v))),
        ["AuditEvent.PurposeOfUse"] = ("HRESCH", v => Accepts<ArgumentException>(() => _ = NewAuditEvent() with { PurposeOfUse = v })),
        ["AuditEvent.AgreementId"] = (Agreement, v => Accepts<ArgumentException>(() => _ = NewAuditEvent() with { AgreementId = v })),
        ["AuditEvent.CorrelationId"] = ("0f8fad5b-d9cb-469f-a165-70867728950e", v => Accepts<ArgumentException>(() => _ = NewAuditEvent() with { CorrelationId = v })),
        ["AuditEvent.Details"] = ("count=1", v => Accepts<ArgumentException>(() => _ = NewAuditEvent() with { Details = [v] })),

        // Core: keyring names.
        ["KeyringNames.IsValidStudyKey"] = (LowerKey, KeyringNames.IsValidStudyKey),
        ["KeyringNames.StudyKeyFromKeyId"] = (KeyringNames.StudyKeyIdPrefix + LowerKey, v => KeyringNames.StudyKeyFromKeyId(v) is not null),

        // Core: policy files (their patterns are private to the loaders).
        ["MinimizationPolicy rule id"] = ("rule-1", v => Accepts<PolicyValidationException>(() => MinimizationPolicyLoader.Parse(MinimizationJson(id: v), "m.json"))),
        ["MinimizationPolicy modality"] = ("MR", v => Accepts<PolicyValidationException>(() => MinimizationPolicyLoader.Parse(MinimizationJson(modality: v), "m.json"))),
        ["MinimizationPolicy sopClass"] = (Uid, v => Accepts<PolicyValidationException>(() => MinimizationPolicyLoader.Parse(MinimizationJson(sopClass: v), "m.json"))),
        ["RetentionPolicy rule id"] = ("rule-1", v => Accepts<PolicyValidationException>(() => RetentionPolicyLoader.Parse(RetentionJson(id: v), "r.json"))),
        ["RetentionPolicy jurisdiction"] = ("US-CA", v => Accepts<PolicyValidationException>(() => RetentionPolicyLoader.Parse(RetentionJson(jurisdiction: v), "r.json"))),
        ["RetentionPolicy modality"] = ("MG", v => Accepts<PolicyValidationException>(() => RetentionPolicyLoader.Parse(RetentionJson(modality: v), "r.json"))),

        // Functions: the researcher API's path segments, event container names and correlation ids.
        ["ResearchRoute agreement"] = (Agreement, v => ResearchRoute.Parse($"/agreements/{v}/studies", out _) is not null),
        ["ResearchRoute study"] = ("2.25.1001", v => ResearchRoute.Parse($"/agreements/{Agreement}/studies/{v}/series", out _) is not null),
        ["ResearchRoute series"] = ("2.25.2001", v => ResearchRoute.Parse($"/agreements/{Agreement}/studies/2.25.1001/series/{v}/instances", out _) is not null),
        ["ResearchRoute instance"] = ("2.25.3001", v => ResearchRoute.Parse($"/agreements/{Agreement}/studies/2.25.1001/series/2.25.2001/instances/{v}", out _) is not null),
        ["BlobCreatedEventParser container"] = ("incoming", v => Accepts<InvalidMessageException>(() => BlobCreatedEventParser.Parse(SubjectOnlyEvent(v), v))),
        ["CorrelationIds.IsSafe"] = ("0f8fad5b-d9cb-469f-a165-70867728950e", CorrelationIds.IsSafe),
    };

    public static TheoryData<string> CheckNames() => new(Checks.Keys);

    public static TheoryData<string, string> CheckNamesWithLineBreaks()
    {
        var data = new TheoryData<string, string>();
        foreach (var check in Checks.Keys)
        {
            foreach (var lineBreak in LineBreaks.Keys)
            {
                data.Add(check, lineBreak);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(CheckNames))]
    public void The_valid_value_is_accepted(string check)
    {
        var (valid, accepts) = Checks[check];

        Assert.True(accepts(valid), $"{check} refused its valid example '{valid}'.");
    }

    [Theory]
    [MemberData(nameof(CheckNamesWithLineBreaks))]
    public void The_valid_value_with_a_line_break_is_refused(string check, string lineBreak)
    {
        var (valid, accepts) = Checks[check];

        Assert.False(accepts(LineBreaks[lineBreak](valid)), $"{check} accepted its valid example with a {lineBreak}.");
    }

    private static bool Accepts<TRefusal>(Action check)
        where TRefusal : Exception
    {
        try
        {
            check();
            return true;
        }
        catch (TRefusal)
        {
            return false;
        }
    }

    private static AuditEvent NewAuditEvent() => new()
    {
        EventType = AuditEventType.SecurityAlert,
        Action = AuditAction.Read,
        Outcome = AuditOutcome.Success,
        Actor = new AuditActor("app:x"),
    };

    // JsonSerializer.Serialize writes the value as a quoted JSON string, so a line break arrives in the parsed value as is.
    private static string Quoted(string value) => JsonSerializer.Serialize(value);

    // Subject only (no data.url), and the expected container is the value itself, so the container-name check is the
    // only thing that can refuse it.
    private static string SubjectOnlyEvent(string container) =>
        """{"id":"1","eventType":"Microsoft.Storage.BlobCreated","data":{},"subject":""" + Quoted($"/blobServices/default/containers/{container}/blobs/a.dcm") + "}";

    private static ReadOnlyMemory<byte> AgreementDraftJson(string validFrom = "2026-01-01T00:00:00Z", string sopClassUid = Uid) => Encoding.UTF8.GetBytes($$"""
        {
          "schema": "cloudarchive/agreement/v1",
          "id": "{{Agreement}}",
          "title": "Line break test",
          "purposeOfUse": "HRESCH",
          "recipients": ["3f2504e0-4f89-41d3-9a0c-0305e82c3301"],
          "validFrom": {{Quoted(validFrom)}},
          "validUntil": "2028-01-01T00:00:00Z",
          "selection": { "modalities": ["CT"], "sopClassUids": [{{Quoted(sopClassUid)}}] },
          "deidentification": { "profileName": "basic" },
          "consentRequired": false,
          "copyRetention": "P2Y"
        }
        """);

    private static string MinimizationJson(string id = "rule-1", string modality = "MR", string sopClass = Uid) => $$"""
        {
          "schema": "cloudarchive/minimization-policy/v1", "name": "T",
          "rules": [{ "id": {{Quoted(id)}}, "description": "d", "when": { "modalities": [{{Quoted(modality)}}], "sopClasses": [{{Quoted(sopClass)}}] }, "remove": ["PatientAddress"] }]
        }
        """;

    private static string RetentionJson(string id = "rule-1", string jurisdiction = "US-CA", string modality = "MG") => $$"""
        {
          "schema": "cloudarchive/retention-policy/v1", "name": "T",
          "rules": [{ "id": {{Quoted(id)}}, "description": "d", "source": "s", "trigger": "examDate", "period": "P1Y", "fallback": false,
                      "when": { "jurisdictions": [{{Quoted(jurisdiction)}}], "modalities": [{{Quoted(modality)}}] } }]
        }
        """;
}
