namespace CloudArchive.Core.Lifecycle.Shred;

/// <summary>What withdrawing a study's derived copies deleted.</summary>
/// <param name="Instances">Copies deleted, over every holder.</param>
/// <param name="Holders">Holders (research agreements) that had copies of the study.</param>
public readonly record struct DerivedCopiesWithdrawn(int Instances, int Holders);
