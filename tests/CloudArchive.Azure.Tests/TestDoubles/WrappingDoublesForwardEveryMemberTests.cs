using CloudArchive.Azure.Tests.Lifecycle;
using CloudArchive.Core.Lifecycle;
using CloudArchive.Testing.Doubles;
using Xunit;

namespace CloudArchive.Azure.Tests.TestDoubles;

/// <summary>
/// Every wrapping test double of this project forwards every member of its port to the wrapped implementation, so a
/// test through it takes production's path; a member added to a port and not forwarded fails here.
/// </summary>
public sealed class WrappingDoublesForwardEveryMemberTests
{
    [Fact]
    public async Task The_interrupting_tag_index_forwards_every_member_while_it_has_not_failed()
    {
        Assert.Empty(await ForwardingCheck.UnforwardedMembersAsync<IArchiveTagIndex>(inner => new InterruptingTagIndex(inner, walk: true)));
    }
}
