using CloudArchive.Core.Audit;

namespace CloudArchive.Functions.DicomWeb.Research;

/// <summary>
/// Writes the audit line of an allowed research DICOMweb request through the research API's own auditing (actor,
/// agreement, purpose of use and correlation id filled in). Returns false when the line could not be written; the
/// response (503) has then been sent and nothing may be released.
/// </summary>
public delegate Task<bool> ResearchDicomWebAudit(AuditEventType eventType, AuditOutcome outcome, long? bytes, params string[] details);
