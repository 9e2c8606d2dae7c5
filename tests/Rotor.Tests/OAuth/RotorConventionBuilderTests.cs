using Microsoft.AspNetCore.Builder;
using Rotor.Endpoints;

namespace Rotor.Tests.OAuth;

/// <summary>A convention added to what <c>MapRotor</c> returns reaches the <c>/oauth/*</c> group as well as the rest.</summary>
public sealed class RotorConventionBuilderTests
{
    private sealed class Recorder : IEndpointConventionBuilder
    {
        public int Added { get; private set; }

        public int Finals { get; private set; }

        public void Add(Action<EndpointBuilder> convention) => Added++;

        public void Finally(Action<EndpointBuilder> finallyConvention) => Finals++;
    }

    [Fact]
    public void Every_convention_reaches_every_group()
    {
        var root = new Recorder();
        var oauth = new Recorder();
        var builder = new RotorConventionBuilder(root, oauth);

        builder.Add(_ => { });
        builder.Add(_ => { });
        builder.Finally(_ => { });

        Assert.Equal((2, 1), (root.Added, root.Finals));
        Assert.Equal((2, 1), (oauth.Added, oauth.Finals));
    }
}
