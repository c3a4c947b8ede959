using System.Net;
using CloudArchive.Core.Audit;

namespace CloudArchive.Core.Tests.Audit;

internal static class AuditSamples
{
    public const string StudyKey = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    public const string OtherStudyKey = "ZYXWVUTSRQPONMLKJIHGFEDCBA";
    public const string InstanceKey = "abcdefghijklmnopqrstuvwx23";
    public const string PatientKey = "QRSTUVWXYZ234567ABCDEFGHIJ";

    public static readonly DateTimeOffset Start = new(2026, 11, 22, 10, 15, 0, TimeSpan.Zero);

    public static AuditEvent Import(int n = 0, string study = StudyKey) => new()
    {
        EventType = AuditEventType.Import,
        Action = AuditAction.Create,
        Outcome = AuditOutcome.Success,
        Actor = new AuditActor("svc:ingest", app: "cloudarchive-functions", role: "ingest", isRequestor: false),
        Study = new OpaqueKey(study),
        Instance = new OpaqueKey(InstanceKey),
        Patient = new OpaqueKey(PatientKey),
        Bytes = 1000 + n,
        CorrelationId = $"inv-{n}",
        Details = ["retention-rule=uk-adult-8y"],
    };

    public static AuditEvent Read(string upn = "rad.one@hospital.example") => new()
    {
        EventType = AuditEventType.InstancesAccessed,
        Action = AuditAction.Read,
        Outcome = AuditOutcome.Success,
        Actor = new AuditActor("3f2b8c1e-0d4a-4e4b-9a51-0a1b2c3d4e5f", upn: upn, app: "cloudarchive-cli", role: "radiologist", clientIp: IPAddress.Parse("10.1.2.3")),
        PurposeOfUse = "TREAT",
        Study = new OpaqueKey(OtherStudyKey),
    };
}
