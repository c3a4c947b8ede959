namespace CloudArchive.Cli.Commands.Doctor;

/// <summary>The result of one doctor check; <paramref name="Fix"/> says what to change when it failed or could not be read.</summary>
internal sealed record DoctorCheck(string Area, string Check, DoctorSeverity Severity, string Detail, string? Fix = null);
