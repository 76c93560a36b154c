# The worker image: built with the .NET SDK, run on the ASP.NET Core runtime, which the worker's HTTP
# listener needs (/metrics, /healthz, /readyz and the live view).
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY . .
RUN dotnet publish src/StreamMetrics.Worker -c Release -o /app

FROM mcr.microsoft.com/dotnet/aspnet:10.0
WORKDIR /app
COPY --from=build /app .
# Outside a container Http:Listen stays on loopback. Inside one, loopback is the container's own, which
# neither Prometheus nor a published port reaches: listen on the container's interfaces, and let whoever
# runs the image decide what to publish (docker-compose.yml publishes it on the host's loopback only).
ENV STREAMMETRICS__Http__Listen=0.0.0.0:9464
EXPOSE 9464
USER app
ENTRYPOINT ["dotnet", "streammetrics.dll"]
CMD ["run"]
