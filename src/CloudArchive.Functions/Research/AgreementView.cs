namespace CloudArchive.Functions.Research;

/// <summary>An agreement as its recipients see it (JSON: <c>id</c>, <c>title</c>, <c>purposeOfUse</c>, <c>validFrom</c>, <c>validUntil</c>).</summary>
/// <param name="Id">Agreement id.</param>
/// <param name="Title">Short title, if any.</param>
/// <param name="PurposeOfUse">HL7 v3 PurposeOfUse code.</param>
/// <param name="ValidFrom">Start of validity (inclusive).</param>
/// <param name="ValidUntil">End of validity (exclusive).</param>
public sealed record AgreementView(string Id, string? Title, string PurposeOfUse, DateTimeOffset ValidFrom, DateTimeOffset ValidUntil);
