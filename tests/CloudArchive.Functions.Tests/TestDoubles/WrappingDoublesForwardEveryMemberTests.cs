using CloudArchive.Core.Archive;
using CloudArchive.Core.Ingest;
using CloudArchive.Functions.Tests.DicomWeb.Clinical;
using CloudArchive.Functions.Tests.EndToEnd;
using CloudArchive.Functions.Tests.Lifecycle;
using CloudArchive.Functions.Tests.Research;
using CloudArchive.Research.Publication;
using CloudArchive.Testing.Doubles;
using Xunit;

namespace CloudArchive.Functions.Tests.TestDoubles;

/// <summary>
/// Every wrapping test double of this project forwards every member of its port to the wrapped implementation, so a
/// test through it takes production's path; a member added to a port and not forwarded fails here. A double that
/// deliberately alters a member (hanging, exploding) is checked on all the others.
/// </summary>
public sealed class WrappingDoublesForwardEveryMemberTests
{
    [Fact]
    public async Task The_archive_store_doubles_forward_every_member()
    {
        Assert.Empty(await ForwardingCheck.UnforwardedMembersAsync<IArchiveStore>(inner => new CrashingArchiveStore(inner)));
        Assert.Empty(await ForwardingCheck.UnforwardedMembersAsync<IArchiveStore>(inner => new FaultyArchiveStore(inner)));
        Assert.Empty(await ForwardingCheck.UnforwardedMembersAsync<IArchiveStore>(inner => new CountingArchiveStore(inner)));
    }

    [Fact]
    public async Task The_crashing_incoming_store_forwards_every_member_for_other_uploads()
    {
        Assert.Empty(await ForwardingCheck.UnforwardedMembersAsync<IIncomingStore>(inner => new CrashingIncomingStore(inner, "another-upload")));
    }

    [Fact]
    public async Task The_result_capturing_ingest_handler_forwards_every_member()
    {
        Assert.Empty(await ForwardingCheck.UnforwardedMembersAsync<IIngestHandler>(inner => new ResultCapturingIngestHandler(inner)));
    }

    [Fact]
    public async Task The_research_store_doubles_forward_every_member_they_do_not_alter()
    {
        Assert.Empty(await ForwardingCheck.UnforwardedMembersAsync<IResearchStore>(inner => new VanishingResearchStore(inner, "another-blob")));
        Assert.Empty(await ForwardingCheck.UnforwardedMembersAsync<IResearchStore>(inner => new BreakingResearchStore(inner, "another-blob", 1)));
        Assert.Empty(await ForwardingCheck.UnforwardedMembersAsync<IResearchStore>(inner => new ExplodingResearchStore(inner), nameof(IResearchStore.ListAsync)));
        Assert.Empty(await ForwardingCheck.UnforwardedMembersAsync<IResearchStore>(inner => new HangingResearchStore(inner), nameof(IResearchStore.ListAsync)));
    }

    [Fact]
    public async Task The_check_names_a_member_that_a_double_does_not_forward()
    {
        Assert.Equal([nameof(IIngestHandler.IngestAsync)], await ForwardingCheck.UnforwardedMembersAsync<IIngestHandler>(inner => new SwallowingIngestHandler(inner)));
    }

    /// <summary>A double that answers by itself instead of forwarding: what the check must catch.</summary>
    private sealed class SwallowingIngestHandler(IIngestHandler inner) : IIngestHandler
    {
        public IIngestHandler Inner { get; } = inner;

        public Task<IngestResult> IngestAsync(IngestRequest request, CancellationToken cancellationToken) =>
            Task.FromResult(new IngestResult(IngestOutcome.AlreadyHandled));
    }
}
