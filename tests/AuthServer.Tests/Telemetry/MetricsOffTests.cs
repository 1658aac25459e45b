using System.Net;
using AuthServer.Tests.Infrastructure;
using static AuthServer.Tests.Infrastructure.AuthServerFixture;

namespace AuthServer.Tests.Telemetry;

/// <summary>A server with <c>AuthServer:Telemetry:Metrics</c> false: tokens as usual, no /metrics page.</summary>
public class MetricsOffTests(MetricsOffTests.MetricsOffServer server) : IClassFixture<MetricsOffTests.MetricsOffServer>
{
    public class MetricsOffServer : AuthServerFixture
    {
        protected override void Configure(Dictionary<string, string?> settings) => settings["AuthServer:Telemetry:Metrics"] = "false";
    }

    [Fact]
    public async Task Metrics_off_serves_no_metrics_page_and_tokens_as_usual()
    {
        using var page = await server.Http.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);

        var token = await server.Http.GetTokenAsync($"service={Service}&scope=repository:metrics-off/a:pull", Basic(AdminName, AdminPassword));
        Assert.Equal(HttpStatusCode.OK, token.Status);
    }
}
