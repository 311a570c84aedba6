package io.reelhook.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import io.smallrye.common.annotation.Blocking;
import io.vertx.ext.web.RoutingContext;
import jakarta.annotation.security.PermitAll;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import static io.reelhook.simulator.SimHttp.error;
import static io.reelhook.simulator.SimHttp.text;

/** Twelve Labs' v1.3 asset API, simulated: {@code POST /assets}, {@code GET /assets[/{id}]}, {@code DELETE}. */
@PermitAll
@Path(SimulatorConfig.BASE_PATH + "/assets")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Twelve Labs simulator", description = "A stand-in for Twelve Labs' v1.3 task API (in memory)")
public class AssetResource {

    /** Twelve Labs names no code of its own for an asset file over the limit (its SDK lists none). */
    static final String TOO_LARGE = "asset_filesize_too_large";

    @Inject
    SimAssets assets;

    @Inject
    SimulatorConfig config;

    @Inject
    SimulatorGuard guard;

    @Inject
    SimHttp http;

    @POST
    @Blocking
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @Operation(summary = "Create a simulated asset (method direct with file, or url with url)")
    @RequestBody(
            content = @Content(mediaType = MediaType.MULTIPART_FORM_DATA, schema = @Schema(type = SchemaType.OBJECT)))
    public Response create(@Context RoutingContext request) throws IOException {
        Optional<Response> refused = http.refuse();
        if (refused.isPresent()) {
            return refused.get();
        }
        long limit = guard.maxBody(AssetResource.class);
        try (SimForm form = SimForm.read(request.request(), limit, "file")) {
            return create(form);
        } catch (SimForm.TooLargeException e) {
            SimulatorGuard.closeAfter(request);
            return error(413, TOO_LARGE, "The request is longer than " + limit + " bytes.");
        } catch (IOException e) {
            SimulatorGuard.closeAfter(request);
            return error(400, "parameter_invalid", "The multipart body could not be read.");
        }
    }

    private Response create(SimForm form) throws IOException {
        Optional<String> method = text(form.fields.get("method"));
        Optional<String> url = text(form.fields.get("url"));
        Optional<String> filename = text(form.fields.get("filename"));
        if (method.isEmpty()) {
            return error(400, "parameter_not_provided", "The method parameter is required (direct or url).");
        }
        if (!List.of("direct", "url").contains(method.get())) {
            return error(400, "parameter_invalid", "method must be direct or url.");
        }
        if (form.fields.containsKey("file")) {
            return error(400, "parameter_invalid", "file must be a file.");
        }
        boolean direct = "direct".equals(method.get());
        if (direct ? form.video().isEmpty() : url.isEmpty()) {
            return error(
                    400, "parameter_not_provided", direct ? "method direct needs a file." : "method url needs a url.");
        }
        if (direct ? url.isPresent() : form.video().isPresent()) {
            return error(400, "parameter_invalid", "Give file with method direct, or url with method url, not both.");
        }
        JsonNode userMetadata;
        Chaos chaos;
        URI source = null;
        try {
            userMetadata = http.userMetadata(text(form.fields.get("user_metadata")));
            chaos = Chaos.of(userMetadata, config);
            if (!direct) {
                source = SimHttp.httpUrl(url.get(), "url");
            }
        } catch (IllegalArgumentException e) {
            return error(400, "parameter_invalid", e.getMessage());
        }
        boolean hls = flag(form.fields.get("enable_hls"));
        boolean thumbnail = flag(form.fields.get("enable_thumbnail"));
        SimHttp.sleep(chaos.slow());
        Optional<SimAsset> asset;
        if (direct) {
            java.nio.file.Path file = form.video().get();
            long size = Files.size(file);
            if (size > config.directMaxSize().asLongValue()) {
                return error(
                        413,
                        TOO_LARGE,
                        "The file is " + size + " bytes; method direct takes at most "
                                + config.directMaxSize().asLongValue() + " (use a multipart upload).");
            }
            asset = assets.direct(
                    filename.orElse(form.filename()), form.contentType(), file, userMetadata, chaos, hls, thumbnail);
        } else {
            asset = assets.url(source, filename.orElse(null), userMetadata, chaos, hls, thumbnail);
        }
        return asset.isEmpty()
                ? SimHttp.full("assets", config.maxAssets())
                : Response.status(201).entity(asset.get().summary()).build();
    }

    @GET
    @Path("/{assetId}")
    @Operation(summary = "Retrieve a simulated asset")
    public Response get(@PathParam("assetId") String assetId) {
        Optional<Response> refused = http.refuse();
        if (refused.isPresent()) {
            return refused.get();
        }
        Optional<SimAsset> found = assets.find(assetId);
        if (found.isEmpty()) {
            return error(404, "resource_not_exist", "There is no asset with id " + assetId + ".");
        }
        SimHttp.sleep(found.get().chaos.slow());
        int refusal = found.get().refusal();
        return refusal == 0 ? Response.ok(found.get().detail()).build() : http.chaos(refusal);
    }

    @GET
    @Operation(summary = "List simulated assets, newest first")
    public Response list(
            @QueryParam("page") @DefaultValue("1") int page,
            @QueryParam("page_limit") @DefaultValue("10") int pageLimit,
            @QueryParam("asset_ids") List<String> ids,
            @QueryParam("filename") String filename) {
        Optional<Response> refused = http.refuse();
        if (refused.isPresent()) {
            return refused.get();
        }
        Response badPage = SimHttp.badPage(page, pageLimit);
        if (badPage != null) {
            return badPage;
        }
        String part = filename == null ? null : filename.toLowerCase(Locale.ROOT);
        List<SimAsset.View> matching = assets.all().stream()
                .filter(asset -> ids.isEmpty() || ids.contains(asset.id))
                .filter(asset -> part == null
                        || (asset.filename != null
                                && asset.filename.toLowerCase(Locale.ROOT).contains(part)))
                .map(SimAsset::detail)
                .toList();
        return Response.ok(SimHttp.page(matching, page, pageLimit)).build();
    }

    @DELETE
    @Path("/{assetId}")
    @Operation(summary = "Delete a simulated asset")
    public Response delete(@PathParam("assetId") String assetId) {
        Optional<Response> refused = http.refuse();
        if (refused.isPresent()) {
            return refused.get();
        }
        return assets.delete(assetId)
                ? Response.noContent().build()
                : error(404, "resource_not_exist", "There is no asset with id " + assetId + ".");
    }

    private static boolean flag(String value) {
        return value != null && Boolean.parseBoolean(value.trim());
    }
}
