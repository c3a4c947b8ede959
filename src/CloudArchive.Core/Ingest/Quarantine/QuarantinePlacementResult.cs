namespace CloudArchive.Core.Ingest.Quarantine;

/// <summary>Where an upload was placed.</summary>
/// <param name="Id">The quarantine id (also the audit detail <c>quarantine-id=</c>).</param>
/// <param name="Created">False when a re-delivery found the copy an earlier attempt wrote.</param>
/// <param name="EncryptedUnder"><c>study</c> or <c>quarantine</c>.</param>
public sealed record QuarantinePlacementResult(string Id, bool Created, string EncryptedUnder);
