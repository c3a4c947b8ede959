namespace CloudArchive.Cli.Commands.Doctor;

/// <summary>The result of one doctor check.</summary>
internal sealed record DoctorCheck(string Area, string Check, DoctorSeverity Severity, string Detail);
