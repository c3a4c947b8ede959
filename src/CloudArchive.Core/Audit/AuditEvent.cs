namespace CloudArchive.Core.Audit;

/// <summary>
/// What happened, as the caller reports it: the fields of the DICOM audit message (EventIdentification,
/// ActiveParticipant, ParticipantObjectIdentification) and FHIR AuditEvent, restricted to codes and
/// opaque keys. No field can hold free text, so no field can hold patient data. The writer adds sequence
/// number, time, writer id and chain hash (<see cref="AuditRecord"/>).
/// </summary>
public sealed record AuditEvent
{
    /// <summary>The most detail codes one event may carry (keeps every line far below the line limit).</summary>
    public const int MaxDetails = 32;

    private readonly string? _purposeOfUse;
    private readonly string? _agreementId;
    private readonly string? _correlationId;
    private readonly IReadOnlyList<string> _details = [];
    private readonly long? _bytes;

    /// <summary>DICOM EventID.</summary>
    public required AuditEventType EventType { get; init; }

    /// <summary>EventActionCode.</summary>
    public required AuditAction Action { get; init; }

    /// <summary>EventOutcomeIndicator.</summary>
    public required AuditOutcome Outcome { get; init; }

    /// <summary>Who acted.</summary>
    public required AuditActor Actor { get; init; }

    /// <summary>Purpose of use (HL7 v3 PurposeOfUse code such as TREAT, ETREAT, HRESCH, HOPERAT), if any.</summary>
    public string? PurposeOfUse
    {
        get => _purposeOfUse;
        init => _purposeOfUse = value is null ? null : AuditFieldRules.Require(value, AuditFieldRules.PurposeOfUse(), "purposeOfUse", "an uppercase code such as TREAT or HRESCH");
    }

    /// <summary>The study concerned, as its opaque study key.</summary>
    public OpaqueKey? Study { get; init; }

    /// <summary>The instance concerned, as its opaque instance key.</summary>
    public OpaqueKey? Instance { get; init; }

    /// <summary>The patient concerned, as the HMAC pseudonym (<c>ca_patient</c>).</summary>
    public OpaqueKey? Patient { get; init; }

    /// <summary>The research agreement (data use agreement) id, if any.</summary>
    public string? AgreementId
    {
        get => _agreementId;
        init => _agreementId = value is null ? null : AuditFieldRules.Require(value, AuditFieldRules.Code(), "agreementId", "an agreement code");
    }

    /// <summary>Bytes read or written, if relevant.</summary>
    public long? Bytes
    {
        get => _bytes;
        init => _bytes = value is < 0 ? throw new ArgumentOutOfRangeException(nameof(Bytes), "Must not be negative.") : value;
    }

    /// <summary>Correlation id (e.g. the Functions invocation id) tying the line to logs and other lines.</summary>
    public string? CorrelationId
    {
        get => _correlationId;
        init => _correlationId = value is null ? null : AuditFieldRules.Require(value, AuditFieldRules.CorrelationId(), "correlationId", "letters, digits and . _ : - (at most 128)");
    }

    /// <summary>
    /// Machine-readable detail codes: lowercase dotted/dashed words with an optional <c>=value</c> of
    /// code characters, e.g. <c>duplicate</c>, <c>quarantine.not-dicom</c>, <c>retention-rule=uk-child-until-25</c>,
    /// <c>minimized=7</c>. Never free text.
    /// </summary>
    public IReadOnlyList<string> Details
    {
        get => _details;
        init
        {
            ArgumentNullException.ThrowIfNull(value);
            if (value.Count > MaxDetails)
            {
                throw new ArgumentException($"At most {MaxDetails} detail codes are allowed.", nameof(Details));
            }

            foreach (var detail in value)
            {
                AuditFieldRules.Require(detail, AuditFieldRules.Detail(), "details", "a detail code (lowercase words, optional =value)");
            }

            _details = value.ToArray();
        }
    }

    /// <summary>Value equality (details compared element by element).</summary>
    public bool Equals(AuditEvent? other) =>
        other is not null && EventType == other.EventType && Action == other.Action && Outcome == other.Outcome
        && Actor.Equals(other.Actor) && PurposeOfUse == other.PurposeOfUse && Study == other.Study
        && Instance == other.Instance && Patient == other.Patient && AgreementId == other.AgreementId
        && Bytes == other.Bytes && CorrelationId == other.CorrelationId && Details.SequenceEqual(other.Details);

    /// <summary>Hash consistent with <see cref="Equals(AuditEvent)"/>.</summary>
    public override int GetHashCode() => HashCode.Combine(EventType, Action, Outcome, Actor, Study, Instance, CorrelationId, Details.Count);
}
