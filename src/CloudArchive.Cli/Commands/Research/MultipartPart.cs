namespace CloudArchive.Cli.Commands.Research;

/// <summary>One part of a <c>multipart/related</c> response: its headers (names lower-case) and a body stream valid until the next part is read.</summary>
/// <param name="Headers">The part's headers.</param>
/// <param name="Body">The part's bytes, read up to the next boundary.</param>
public sealed record MultipartPart(IReadOnlyDictionary<string, string> Headers, Stream Body);
