namespace CloudArchive.Research.Export;

/// <summary>What one run changed.</summary>
/// <param name="StudiesWritten">Studies whose copies were written or completed in this run.</param>
/// <param name="StudiesUnchanged">Studies already released with the same settings and sources (nothing rewritten).</param>
/// <param name="StudiesRemoved">Studies whose copies were removed (consent withdrawn, selection changed, source gone).</param>
/// <param name="InstancesWritten">Instances written in this run.</param>
/// <param name="BytesWritten">Bytes written in this run.</param>
/// <param name="InstancesRemoved">Instances removed in this run.</param>
public sealed record ExportRunCounts(int StudiesWritten, int StudiesUnchanged, int StudiesRemoved, long InstancesWritten, long BytesWritten, long InstancesRemoved);
