using CloudArchive.Research.Agreements;

namespace CloudArchive.Functions.Research;

/// <summary>A request the access policy allowed for one agreement.</summary>
/// <param name="Context">The request.</param>
/// <param name="Agreement">The agreement it reads under.</param>
/// <param name="State">What the request has established (actor, audit state).</param>
internal sealed record ResearchAccess(HttpContext Context, DataSharingAgreement Agreement, ResearchRequestState State);
