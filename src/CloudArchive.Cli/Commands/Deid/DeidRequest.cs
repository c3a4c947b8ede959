namespace CloudArchive.Cli.Commands.Deid;

/// <summary>The arguments of one <c>deid</c> run.</summary>
/// <param name="Input">File or directory.</param>
/// <param name="Output">Output directory.</param>
/// <param name="SecretFile">Secret file path.</param>
/// <param name="Options">Comma-separated option list, or null.</param>
/// <param name="Profile">Profile JSON path, or null for the Basic Profile.</param>
/// <param name="Report">Report directory, or null.</param>
/// <param name="Jobs">Degree of parallelism.</param>
public sealed record DeidRequest(string Input, string Output, string SecretFile, string? Options, string? Profile, string? Report, int Jobs);
