# AuthServer container image.
#   docker build -t authserver .
#   docker run -d -p 5001:5001 -v authserver-data:/data \
#     -e AuthServer__Tokens__Issuer=authserver -e AuthServer__Tokens__Services__0__Name=registry authserver
# Every setting is an environment variable: AuthServer__Section__Key (docs/configuration.md).

# Build stage: the SDK restores and publishes; only the published app reaches the runtime image.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
# Project files first, so the restore layer is reused while only source code changes.
COPY global.json Directory.Build.props Directory.Packages.props ./
# Every project the app references (DockerfileTests checks that none is missing).
COPY src/AuthServer.Core/AuthServer.Core.csproj src/AuthServer.Core/
COPY src/AuthServer.Data.Sqlite/AuthServer.Data.Sqlite.csproj src/AuthServer.Data.Sqlite/
COPY src/AuthServer.Data.Postgres/AuthServer.Data.Postgres.csproj src/AuthServer.Data.Postgres/
COPY src/AuthServer.Registry/AuthServer.Registry.csproj src/AuthServer.Registry/
COPY src/AuthServer/AuthServer.csproj src/AuthServer/
COPY migrations/AuthServer.Migrations.Sqlite/AuthServer.Migrations.Sqlite.csproj migrations/AuthServer.Migrations.Sqlite/
COPY migrations/AuthServer.Migrations.Postgres/AuthServer.Migrations.Postgres.csproj migrations/AuthServer.Migrations.Postgres/
RUN dotnet restore src/AuthServer/AuthServer.csproj
COPY src/ src/
COPY migrations/ migrations/
# test.sh runs this very command (DockerfileTests) and starts what it publishes.
RUN dotnet publish src/AuthServer/AuthServer.csproj -c Release -o /app --no-restore -p:UseAppHost=false

# Runtime stage: ASP.NET Core runtime only, running as the image's non-root user (APP_UID).
FROM mcr.microsoft.com/dotnet/aspnet:10.0
# Directory sign-in (AuthServer:Ldap) goes through System.DirectoryServices.Protocols, which calls
# OpenLDAP's client library; the runtime image does not have it. Ubuntu and Debian name it differently.
RUN apt-get update \
    && (apt-get install -y --no-install-recommends libldap2 || apt-get install -y --no-install-recommends libldap-2.5-0) \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /app .
# /data holds the SQLite database and the key-encryption key (signing.kek); keep it on a volume
# and back it up. Replicas sharing a database set AuthServer__Signing__KeyEncryptionKey instead.
RUN mkdir -p /data && chown "$APP_UID" /data
VOLUME /data
ENV AuthServer__DataDirectory=/data \
    Urls=http://0.0.0.0:5001 \
    DOTNET_NOLOGO=1
EXPOSE 5001
USER $APP_UID
# The runtime image has no curl: the app asks its own /healthz.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["dotnet", "/app/authserver.dll", "healthcheck"]
ENTRYPOINT ["dotnet", "/app/authserver.dll"]
CMD ["serve"]
