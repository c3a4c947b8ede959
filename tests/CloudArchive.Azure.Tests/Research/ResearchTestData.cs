using CloudArchive.Research.Agreements;
using CloudArchive.Research.Consent;

namespace CloudArchive.Azure.Tests.Research;

internal static class ResearchTestData
{
    public const string Recipient = "3f2504e0-4f89-41d3-9a0c-0305e82c3301";

    public static DataSharingAgreement Agreement(string id) => new()
    {
        Id = id,
        Title = "Lung nodule study",
        PurposeOfUse = "HRESCH",
        Recipients = [Recipient],
        ValidFrom = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero),
        ValidUntil = new DateTimeOffset(2028, 1, 1, 0, 0, 0, TimeSpan.Zero),
        Selection = new AgreementSelection { Modalities = ["CT"], BodyParts = ["CHEST"] },
        CopyRetention = "P2Y",
        CreatedAt = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero),
        CreatedBy = "admin",
    };

    public static ConsentRecord Consent(string pseudonym) => new()
    {
        PatientPseudonym = pseudonym,
        SourceId = "consent-1",
        Status = ConsentStatus.Active,
        PeriodStart = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero),
        PeriodEnd = new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero),
        DataFrom = new DateOnly(2010, 1, 1),
        Purposes = ["HRESCH"],
        Actors = [Recipient],
        Deny = [new ConsentDenyProvision { Modalities = ["MR"] }],
        Source = "csv",
        RecordedAt = new DateTimeOffset(2026, 2, 1, 0, 0, 0, TimeSpan.Zero),
        RecordedBy = "admin",
    };

    public static string Pseudonym(char c) => new(c, 26);
}
