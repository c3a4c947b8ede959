using System.Globalization;
using CloudArchive.Dicom;

namespace CloudArchive.Core.Minimization;

/// <summary>
/// Applies a <see cref="MinimizationPolicy"/> to a dataset in place: removes the attributes of every rule
/// that applies (at every nesting level), and, when the policy has a private-creator allow-list, every
/// private block whose creator is not on it. The file meta information is never touched, and the pixel
/// data is never read or rewritten (bulk values stay where the reader left them).
/// </summary>
public sealed class DataMinimizer
{
    private readonly MinimizationPolicy _policy;

    /// <summary>Creates a minimizer for a policy.</summary>
    public DataMinimizer(MinimizationPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        _policy = policy;
    }

    /// <summary>Minimizes <paramref name="dataset"/> (the main dataset of an instance) and reports what was removed.</summary>
    public MinimizationReport Apply(DicomDataset dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        var modality = dataset.GetString(DicomTags.Modality)?.Trim() is { Length: > 0 } m ? m.ToUpperInvariant() : null;
        var sopClass = dataset.GetString(DicomTags.SOPClassUID)?.Trim('\0', ' ') is { Length: > 0 } s ? s : null;
        var rules = _policy.RulesFor(modality, sopClass);
        var targets = rules.SelectMany(r => r.Remove).ToArray();
        var removed = new List<string>();
        Walk(dataset, string.Empty, targets, removed);
        return new MinimizationReport(_policy.Name, rules.Select(r => r.Id).ToArray(), removed);
    }

    private void Walk(DicomDataset dataset, string prefix, MinimizationTarget[] targets, List<string> removed)
    {
        var doomed = new List<DicomTag>();
        var privateGroupsTouched = new HashSet<ushort>();
        foreach (var element in dataset)
        {
            var tag = element.Tag;
            if (targets.Any(t => t.Matches(tag)))
            {
                doomed.Add(tag);
            }
            else if (_policy.KeptPrivateCreators is { } kept && tag.IsPrivate && !tag.IsGroupLength && !IsKeptPrivate(dataset, tag, kept))
            {
                doomed.Add(tag);
                privateGroupsTouched.Add(tag.Group);
            }
        }

        if (_policy.KeptPrivateCreators is not null)
        {
            // A private group length no longer describes a group that lost elements; group lengths are
            // optional (retired in PS3.5 7.2), so it goes too.
            foreach (var group in privateGroupsTouched)
            {
                var lengthTag = new DicomTag(group, 0x0000);
                if (dataset.Contains(lengthTag))
                {
                    doomed.Add(lengthTag);
                }
            }
        }

        foreach (var tag in doomed.Distinct().Order())
        {
            dataset.Remove(tag);
            removed.Add(prefix + tag.ToString());
        }

        foreach (var element in dataset)
        {
            if (element is DicomSequence sequence)
            {
                for (var i = 0; i < sequence.Items.Count; i++)
                {
                    Walk(sequence.Items[i], string.Create(CultureInfo.InvariantCulture, $"{prefix}{sequence.Tag}[{i}]."), targets, removed);
                }
            }
        }
    }

    private static bool IsKeptPrivate(DicomDataset dataset, DicomTag tag, IReadOnlySet<string> kept)
    {
        if (tag.IsPrivateCreator)
        {
            return dataset.GetString(tag)?.Trim() is { Length: > 0 } creator && kept.Contains(creator);
        }

        // Private data with a creator on the list is kept; orphaned data (no creator element) and the
        // reserved elements (gggg,0001-000F) belong to nobody and are removed.
        return tag.IsPrivateData && dataset.GetPrivateCreator(tag) is { Length: > 0 } owner && kept.Contains(owner);
    }
}
