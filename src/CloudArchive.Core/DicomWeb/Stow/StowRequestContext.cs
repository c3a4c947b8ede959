using CloudArchive.Core.Audit;

namespace CloudArchive.Core.DicomWeb.Stow;

/// <summary>One STOW-RS request as the service sees it.</summary>
/// <param name="RequestId">A random id of the request (names its uploads: <c>stow/{RequestId}/{n}.dcm</c>).</param>
/// <param name="CorrelationId">The invocation's correlation id (logs and audit lines).</param>
/// <param name="Actor">The authenticated caller, for the audit lines.</param>
/// <param name="TargetStudyInstanceUid">The study of <c>POST /studies/{study}</c>, or null for <c>POST /studies</c>.</param>
public sealed record StowRequestContext(string RequestId, string CorrelationId, AuditActor Actor, string? TargetStudyInstanceUid);
