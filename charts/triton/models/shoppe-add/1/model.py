"""shoppe-add: adds two float32 vectors (the smoke-check model of charts/triton/models)."""

import triton_python_backend_utils as pb_utils


class TritonPythonModel:
    """OUTPUT0 = INPUT0 + INPUT1 for every request."""

    def execute(self, requests):
        responses = []
        for request in requests:
            a = pb_utils.get_input_tensor_by_name(request, "INPUT0").as_numpy()
            b = pb_utils.get_input_tensor_by_name(request, "INPUT1").as_numpy()
            out = pb_utils.Tensor("OUTPUT0", (a + b).astype("float32"))
            responses.append(pb_utils.InferenceResponse(output_tensors=[out]))
        return responses
