namespace AuthServer.WebConsole.Dashboard;

public sealed class TrafficQuery;
