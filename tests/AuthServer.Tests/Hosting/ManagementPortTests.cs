using System.Net;
using AuthServer.Hosting;
using AuthServer.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using static AuthServer.Tests.Infrastructure.AuthServerFixture;

namespace AuthServer.Tests.Hosting;

public sealed class ManagementPortFixture : AuthServerFixture
{
    public int ManagementPort { get; } = FreePort.Next();

    protected override void Configure(Dictionary<string, string?> settings) =>
        settings[AuthServer.Hosting.ManagementPort.UrlsSetting] = $"http://127.0.0.1:{ManagementPort}";
}

public class ManagementPortTests(ManagementPortFixture server) : IClassFixture<ManagementPortFixture>
{
    private Uri Management(string path) => new($"http://127.0.0.1:{server.ManagementPort}{path}");

    [Fact]
    public async Task Metrics_and_health_answer_on_the_management_port_without_credentials()
    {
        using var http = new HttpClient();
        using var metrics = await http.GetAsync(Management("/metrics"));
        Assert.Equal(HttpStatusCode.OK, metrics.StatusCode);
        Assert.Contains("authserver_", await metrics.Content.ReadAsStringAsync());
        using var live = await http.GetAsync(Management("/healthz"));
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        using var ready = await http.GetAsync(Management("/readyz"));
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
    }

    [Fact]
    public async Task The_main_port_serves_tokens_and_health_but_no_metrics()
    {
        Assert.NotEqual(server.ManagementPort, server.BaseAddress.Port);
        var token = await server.Http.GetTokenAsync($"service={Service}&scope=repository:mgmt/a:pull", Basic(AdminName, AdminPassword));
        Assert.Equal(HttpStatusCode.OK, token.Status);
        using var metrics = await server.Http.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.NotFound, metrics.StatusCode);
        using var live = await server.Http.GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
    }

    [Fact]
    public async Task The_management_port_serves_nothing_else()
    {
        using var http = new HttpClient();
        using var token = await http.GetAsync(Management($"/token?service={Service}"));
        Assert.Equal(HttpStatusCode.NotFound, token.StatusCode);
        using var api = await http.GetAsync(Management("/api/v1/users"));
        Assert.Equal(HttpStatusCode.NotFound, api.StatusCode);
    }

    [Fact]
    public void A_management_address_without_a_port_stops_the_start()
    {
        var settings = BaseSettings(server.DataDirectory);
        settings[ManagementPort.UrlsSetting] = "http://127.0.0.1:0";
        var e = Assert.Throws<StartupException>(() => AuthServerHost.Build([], b => b.Configuration.AddInMemoryCollection(settings)));
        Assert.Contains(ManagementPort.UrlsSetting, e.Message);
    }
}
