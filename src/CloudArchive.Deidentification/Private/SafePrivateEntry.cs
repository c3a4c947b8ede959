namespace CloudArchive.Deidentification;

/// <summary>One safe private attribute: (private creator, group, element offset inside the creator's block).</summary>
/// <param name="Creator">The Private Creator value, trailing spaces removed.</param>
/// <param name="Group">The odd group number.</param>
/// <param name="Offset">The low byte of the element number (the <c>EE</c> of <c>(gggg,xxEE)</c>).</param>
public readonly record struct SafePrivateEntry(string Creator, ushort Group, byte Offset);
