"""Submits one transform request through the real ServiceX client and queries it back.

Used by shoppe's servicex-transform check (src/e2e/checks/servicex.ts): the client's own
adapter asks the server who it is (GET /servicex), submits an UprootRaw query over a file list
(POST /servicex/transformation) and reads the request's status back. Prints one JSON object.

    python transform.py <servicex url> <file url> [<title>]
"""

import asyncio
import json
import sys

from servicex.models import ResultDestination, ResultFormat, TransformRequest
from servicex.query import UprootRaw
from servicex.servicex_adapter import ServiceXAdapter


async def main(url: str, file_url: str, title: str) -> dict:
    adapter = ServiceXAdapter(url)
    info = await adapter.get_servicex_info()
    query = UprootRaw([{"treename": "events", "filter_name": ["x"]}])
    request = TransformRequest(
        title=title,
        file_list=[file_url],
        selection=query.generate_selection_string(),
        codegen="uproot-raw",
        result_destination=ResultDestination.object_store,
        result_format=ResultFormat.parquet,
    )
    request_id = await adapter.submit_transform(request)
    status = await adapter.get_transform_status(request_id)
    return {
        "info": {
            "app_version": info.app_version,
            "code_gen_image": info.code_gen_image,
            "capabilities": info.capabilities,
        },
        "request_id": request_id,
        "status": json.loads(status.model_dump_json()),
    }


if __name__ == "__main__":
    out = asyncio.run(main(sys.argv[1], sys.argv[2], sys.argv[3] if len(sys.argv) > 3 else "shoppe check"))
    print(json.dumps(out))
