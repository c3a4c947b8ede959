namespace CloudArchive.Research.Access;

/// <summary>The research access policy's answer: allowed, or denied with a reason and its stable code.</summary>
public sealed record ResearchAccessDecision
{
    private ResearchAccessDecision(ResearchDenialReason? reason) => Reason = reason;

    /// <summary>The one "allowed" decision.</summary>
    public static ResearchAccessDecision Allowed { get; } = new((ResearchDenialReason?)null);

    /// <summary>Why access was denied; null when allowed.</summary>
    public ResearchDenialReason? Reason { get; }

    /// <summary>True when access is allowed.</summary>
    public bool IsAllowed => Reason is null;

    /// <summary>
    /// The reason's code (audit detail and, where it reveals nothing, the API's error code): <c>missing-role</c>,
    /// <c>groups-overage</c>, <c>unknown-agreement</c>, <c>agreement-unreadable</c>, <c>not-recipient</c>, <c>agreement-closed</c>,
    /// <c>agreement-not-yet-valid</c>, <c>agreement-expired</c>; empty when allowed.
    /// </summary>
    public string Code => Reason switch
    {
        null => string.Empty,
        ResearchDenialReason.MissingRole => "missing-role",
        ResearchDenialReason.GroupsOverage => "groups-overage",
        ResearchDenialReason.UnknownAgreement => "unknown-agreement",
        ResearchDenialReason.AgreementUnreadable => "agreement-unreadable",
        ResearchDenialReason.NotRecipient => "not-recipient",
        ResearchDenialReason.AgreementClosed => "agreement-closed",
        ResearchDenialReason.AgreementNotYetValid => "agreement-not-yet-valid",
        ResearchDenialReason.AgreementExpired => "agreement-expired",
        _ => throw new InvalidOperationException("Unknown denial reason."),
    };

    /// <summary>
    /// True when the caller may learn the reason. Unknown, unreadable and not-yours agreements get one answer so
    /// agreement ids cannot be probed; a recipient may learn that their agreement is closed or expired.
    /// </summary>
    public bool RevealsReason => Reason is ResearchDenialReason.MissingRole or ResearchDenialReason.GroupsOverage or ResearchDenialReason.AgreementClosed
        or ResearchDenialReason.AgreementNotYetValid or ResearchDenialReason.AgreementExpired;

    /// <summary>The error code the caller is given: the reason's <see cref="Code"/> where it reveals nothing, else <c>forbidden</c>.</summary>
    public string CallerCode => RevealsReason ? Code : "forbidden";

    /// <summary>What the caller is told (never which of the undisclosed reasons applied).</summary>
    public string CallerMessage => Reason switch
    {
        null => string.Empty,
        ResearchDenialReason.MissingRole => $"Your token does not carry the {ResearchAccessPolicy.RequiredRole} app role of the archive.",
        ResearchDenialReason.GroupsOverage => "Your token lists too many groups for Entra ID to include them, so group recipients cannot be matched. Ask the archive's administrator to assign the Research.Read role to fewer groups (or to you directly) and to name you or one of those groups as recipient.",
        ResearchDenialReason.AgreementClosed => "The agreement has been closed.",
        ResearchDenialReason.AgreementNotYetValid => "The agreement is not valid yet.",
        ResearchDenialReason.AgreementExpired => "The agreement has expired.",
        _ => "You are not a recipient of an agreement with this id.",
    };

    /// <summary>A denial for <paramref name="reason"/>.</summary>
    public static ResearchAccessDecision Denied(ResearchDenialReason reason) => new(reason);
}
