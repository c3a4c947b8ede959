namespace CloudArchive.Cli.Commands.Research;

/// <summary>An agreement as the researcher API lists it.</summary>
/// <param name="Id">Agreement id.</param>
/// <param name="Title">Title, if any.</param>
/// <param name="PurposeOfUse">PurposeOfUse code.</param>
/// <param name="ValidFrom">Start of validity.</param>
/// <param name="ValidUntil">End of validity.</param>
internal sealed record RemoteAgreement(string Id, string? Title, string PurposeOfUse, DateTimeOffset ValidFrom, DateTimeOffset ValidUntil);
