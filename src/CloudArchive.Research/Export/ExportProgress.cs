namespace CloudArchive.Research.Export;

/// <summary>Progress of an export run, reported after each archive study.</summary>
/// <param name="StudiesSeen">Archive studies handled so far.</param>
/// <param name="StudiesWritten">Studies written or completed so far.</param>
/// <param name="StudiesUnchanged">Studies skipped as unchanged so far.</param>
/// <param name="StudiesExcluded">Studies excluded so far.</param>
/// <param name="StudiesRemoved">Studies whose copies were removed so far.</param>
/// <param name="InstancesWritten">Instances written so far.</param>
/// <param name="BytesWritten">Bytes written so far.</param>
public sealed record ExportProgress(int StudiesSeen, int StudiesWritten, int StudiesUnchanged, int StudiesExcluded, int StudiesRemoved, long InstancesWritten, long BytesWritten);
